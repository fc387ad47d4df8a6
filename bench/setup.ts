// Prepares the accounts and the room a run needs, through the app's own HTTP routes.
import type { Page } from "./options.ts";
import { map_limited } from "./timing.ts";

/** Where and as whom one client connects. */
export interface Endpoint {
  /** The room connection (WebSocket or SSE): deliveries are measured on it. */
  ws_url: string;
  sse_url: string;
  /** The page's other streams (SSE, opened alongside the room connection; `--page=old`). */
  feeds: string[];
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

/** GETs the room page once, which joins the room; returns the page's HTML when asked. */
export async function visit_room(
  base: string,
  cookie: string,
  slug: string,
  read = false,
): Promise<string> {
  const response = await fetch(`${base}/rooms/${slug}`, { headers: { cookie } });
  const html = read ? await response.text() : (await response.body?.cancel(), "");
  if (!response.ok) throw new Error(`GET /rooms/${slug} failed with status ${response.status}`);
  return html;
}

function escape_regexp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The room's id from its page: the presence stream the page opens
 * (`sse-connect="/presence/events?in=<id>"`), else the sidebar entry of the room
 * (`href="/rooms/<slug>"` followed by its count `id="online-<id>"`), which a page that no
 * longer opens that stream still shows. Null when neither is there.
 */
export function room_id_from_page(html: string, slug: string): string | null {
  const presence = /\/presence\/events\?in=([^"&'\s]+)/.exec(html)?.[1];
  if (presence) return decodeURIComponent(presence);
  const link = new RegExp(`href="/rooms/${escape_regexp(slug)}"[^]*?id="online-([^"]+)"`);
  return link.exec(html)?.[1] ?? null;
}

/** The room connection's path suffix and the page's other streams, by page mode. */
function page_shape(base: string, page: Page, room_id: string | null) {
  if (page === "new") return { query: "?feeds=1", feeds: [] };
  if (page === "old") {
    const presence = `${base}/presence/events?in=${encodeURIComponent(room_id ?? "")}`;
    return { query: "", feeds: [`${base}/inbox/events`, presence] };
  }
  return { query: "", feeds: [] };
}

function app_endpoint(
  base: string,
  slug: string,
  cookie: string,
  page: { mode: Page; room_id: string | null },
): Endpoint {
  const { query, feeds } = page_shape(base, page.mode, page.room_id);
  return {
    ws_url: `${base.replace(/^http/, "ws")}/rooms/${slug}/live${query}`,
    sse_url: `${base}/rooms/${slug}/events${query}`,
    feeds,
    headers: { cookie, origin: base },
  };
}

/** `--page=old`: the room's id, read from the room page as its owner sees it. */
async function find_room_id(base: string, owner: string, slug: string): Promise<string> {
  const id = room_id_from_page(await visit_room(base, owner, slug, true), slug);
  if (!id) {
    throw new Error(
      `--page=old: no room id in the page of /rooms/${slug} ` +
        `(neither /presence/events?in=<id> nor the sidebar's online-<id>)`,
    );
  }
  return id;
}

/**
 * Creates a room and one guest per connection, each of whom visits the room once (on the
 * instance it will connect to). Senders use `send_base`, subscribers `sub_base`, or with
 * `sub_bases` subscriber i uses `sub_bases[i % length]` (spread evenly); subscribers get the
 * page shape `page` asks for (senders always hold one room WebSocket).
 */
export async function prepare_app(
  bases: { send_base: string; sub_base: string; sub_bases?: string[] },
  counts: { subscribers: number; senders: number },
  run: { id: string; page: Page },
  concurrency: number,
): Promise<Endpoints & { slug: string }> {
  const run_id = run.id;
  const owner = await create_guest(bases.send_base, `${run_id}-owner`);
  const slug = await create_room(bases.send_base, owner, `bench ${run_id}`);
  const room_id = run.page === "old" ? await find_room_id(bases.send_base, owner, slug) : null;
  const join = async (base: string, nickname: string, mode: Page) => {
    const cookie = await create_guest(base, nickname);
    await visit_room(base, cookie, slug);
    return app_endpoint(base, slug, cookie, { mode, room_id });
  };
  const senders = await map_limited(
    Array.from({ length: counts.senders }, (_, i) => `${run_id}-s${i}`),
    concurrency,
    (name) => join(bases.send_base, name, "off"),
  );
  const sub_bases = bases.sub_bases?.length ? bases.sub_bases : [bases.sub_base];
  const subscribers = await map_limited(
    Array.from({ length: counts.subscribers }, (_, i) => i),
    concurrency,
    (i) => join(sub_bases[i % sub_bases.length], `${run_id}-p${i}`, run.page),
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
    feeds: [],
    headers: {},
  };
  return {
    subscribers: Array.from({ length: counts.subscribers }, () => endpoint),
    senders: Array.from({ length: counts.senders }, () => endpoint),
  };
}
