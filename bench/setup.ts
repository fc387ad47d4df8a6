// Prepares the accounts and the room a run needs, through the app's own HTTP routes.
import { map_limited } from "./timing.ts";

/** Where and as whom one client connects. */
export interface Endpoint {
  ws_url: string;
  sse_url: string;
  headers: Record<string, string>;
}

/** The connections of one run: subscribers and senders. */
export interface Endpoints {
  subscribers: Endpoint[];
  senders: Endpoint[];
}

function cookie_from(response: Response): string {
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith("sid="));
  if (!cookie) throw new Error(`POST /guest gave no session cookie (status ${response.status})`);
  return cookie.split(";")[0];
}

/** Signs in a new guest by POST /guest; returns the `sid=…` cookie pair. */
export async function create_guest(base: string, nickname: string): Promise<string> {
  const response = await fetch(`${base}/guest`, {
    method: "POST",
    headers: { origin: base },
    body: new URLSearchParams({ nickname }),
    redirect: "manual",
  });
  await response.body?.cancel();
  return cookie_from(response);
}

/** Creates an open room by POST /rooms; returns its slug. */
export async function create_room(base: string, cookie: string, name: string): Promise<string> {
  const response = await fetch(`${base}/rooms`, {
    method: "POST",
    headers: { origin: base, cookie },
    body: new URLSearchParams({ name }),
    redirect: "manual",
  });
  await response.body?.cancel();
  const slug = /^\/rooms\/([^/?#]+)$/.exec(response.headers.get("location") ?? "")?.[1];
  if (response.status !== 303 || !slug) {
    throw new Error(`POST /rooms failed with status ${response.status}`);
  }
  return slug;
}

/** GETs the room page once, which joins the room. */
export async function visit_room(base: string, cookie: string, slug: string): Promise<void> {
  const response = await fetch(`${base}/rooms/${slug}`, { headers: { cookie } });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`GET /rooms/${slug} failed with status ${response.status}`);
}

function app_endpoint(base: string, slug: string, cookie: string): Endpoint {
  return {
    ws_url: `${base.replace(/^http/, "ws")}/rooms/${slug}/live`,
    sse_url: `${base}/rooms/${slug}/events`,
    headers: { cookie, origin: base },
  };
}

/**
 * Creates a room and one guest per connection, each of whom visits the room once (on the
 * instance it will connect to). Senders use `send_base`, subscribers `sub_base`.
 */
export async function prepare_app(
  bases: { send_base: string; sub_base: string },
  counts: { subscribers: number; senders: number },
  run_id: string,
  concurrency: number,
): Promise<Endpoints & { slug: string }> {
  const owner = await create_guest(bases.send_base, `${run_id}-owner`);
  const slug = await create_room(bases.send_base, owner, `bench ${run_id}`);
  const join = async (base: string, nickname: string) => {
    const cookie = await create_guest(base, nickname);
    await visit_room(base, cookie, slug);
    return app_endpoint(base, slug, cookie);
  };
  const senders = await map_limited(
    Array.from({ length: counts.senders }, (_, i) => `${run_id}-s${i}`),
    concurrency,
    (name) => join(bases.send_base, name),
  );
  const subscribers = await map_limited(
    Array.from({ length: counts.subscribers }, (_, i) => `${run_id}-p${i}`),
    concurrency,
    (name) => join(bases.sub_base, name),
  );
  return { slug, senders, subscribers };
}

/** Endpoints for the bare reference server: no accounts, one shared broadcast. */
export function prepare_bare(
  base: string,
  counts: { subscribers: number; senders: number },
): Endpoints {
  const endpoint = {
    ws_url: `${base.replace(/^http/, "ws")}/live`,
    sse_url: `${base}/events`,
    headers: {},
  };
  return {
    subscribers: Array.from({ length: counts.subscribers }, () => endpoint),
    senders: Array.from({ length: counts.senders }, () => endpoint),
  };
}
