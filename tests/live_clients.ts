// Real-socket clients for the live endpoints, as the browser extensions use them.

/** Appended messages (articles without their own hx-swap-oob) in arrival order. */
function appended(frames: string[]): { id: string; body: string }[] {
  return frames.flatMap((frame) =>
    frame.split("<article ").slice(1)
      .filter((part) => !part.slice(0, part.indexOf(">")).includes("hx-swap-oob"))
      .map((part) => ({
        id: part.match(/^id="m-([0-9A-Z]{26})"/)?.[1] ?? "",
        body: part.match(/<div class="body">(.*?)<\/div>/)?.[1] ?? "",
      }))
  );
}

/** Ids of messages appended by the frames, in arrival order (what a page would show). */
export function appendedIds(frames: string[]): string[] {
  return appended(frames).map((m) => m.id);
}

/** Bodies (as rendered HTML) of messages appended by the frames, in arrival order. */
export function appendedBodies(frames: string[]): string[] {
  return appended(frames).map((m) => m.body);
}

/** Polls `check` every 10 ms until it holds; throws after `ms` naming what was awaited. */
export async function waitUntil(check: () => boolean, what: string, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * A WebSocket client on /rooms/:slug/live (or `path`, with its query) with a session cookie and
 * this site's Origin.
 */
export async function wsClient(
  base: string,
  slug: string,
  cookie: string,
  after?: number,
  path?: string,
) {
  const url = `${base.replace("http", "ws")}${path ?? `/rooms/${slug}/live`}${
    after === undefined ? "" : `?after=${after}`
  }`;
  const socket = new WebSocket(url, { headers: { cookie, origin: base } });
  const frames: string[] = [];
  const closed = new Promise<CloseEvent>((resolve) => socket.addEventListener("close", resolve));
  socket.addEventListener("message", (e) => frames.push(String(e.data)));
  await new Promise((resolve, reject) => {
    socket.addEventListener("open", resolve);
    socket.addEventListener("error", () => reject(new Error("WebSocket failed to open")));
  });
  return {
    frames,
    closed,
    send: (frame: unknown) =>
      socket.send(typeof frame === "string" ? frame : JSON.stringify(frame)),
    waitFor: (count: number) =>
      waitUntil(() => appendedBodies(frames).length >= count, `${count} messages`),
    waitForFrame: (pattern: RegExp) =>
      waitUntil(() => frames.some((f) => pattern.test(f)), String(pattern)),
    close: () => socket.close(),
  };
}

/** An SSE client on /rooms/:slug/events (or `path`) that parses events into id and data. */
export async function sseClient(
  base: string,
  slug: string,
  cookie: string,
  options: { after?: number; lastEventId?: number; path?: string } = {},
) {
  const headers: Record<string, string> = { cookie };
  if (options.lastEventId !== undefined) headers["last-event-id"] = String(options.lastEventId);
  const query = options.after === undefined ? "" : `?after=${options.after}`;
  const controller = new AbortController();
  const res = await fetch(`${base}${options.path ?? `/rooms/${slug}/events`}${query}`, {
    headers,
    signal: controller.signal,
  });
  if (res.status !== 200) throw new Error(`SSE refused: ${res.status} ${await res.text()}`);
  const events: { id: string | null; data: string }[] = [];
  const raw: string[] = [];
  const done = (async () => {
    let buffer = "";
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body!) {
        buffer += decoder.decode(chunk, { stream: true });
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          raw.push(block);
          const lines = block.split("\n");
          const data = lines.filter((l) => l.startsWith("data: ")).map((l) => l.slice(6));
          if (!data.length) continue;
          const id = lines.find((l) => l.startsWith("id: "))?.slice(4) ?? null;
          events.push({ id, data: data.join("\n") });
        }
      }
    } catch { /* aborted */ }
  })();
  const frames = () => events.map((e) => e.data);
  return {
    events,
    raw,
    frames,
    done,
    waitFor: (count: number) =>
      waitUntil(() => appendedBodies(frames()).length >= count, `${count} SSE messages`),
    close: async () => (controller.abort(), await done),
  };
}
