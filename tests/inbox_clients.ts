// Readers for the inbox stream (GET /inbox/events), in-process or over a real socket.
import { waitUntil } from "./live_clients.ts";

/** Reads an inbox SSE response: every `inbox` event's data, the badge counts and notices. */
export function readInbox(res: Response, abort: () => void = () => {}) {
  if (res.status !== 200) throw new Error(`Inbox stream refused: ${res.status}`);
  const events: string[] = [];
  const reader = res.body!.getReader();
  const done = (async () => {
    let buffer = "";
    const decoder = new TextDecoder();
    try {
      for (let r = await reader.read(); !r.done; r = await reader.read()) {
        buffer += decoder.decode(r.value, { stream: true });
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const lines = buffer.slice(0, end).split("\n");
          buffer = buffer.slice(end + 2);
          if (!lines.includes("event: inbox")) continue;
          events.push(
            lines.filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)).join("\n"),
          );
        }
      }
    } catch { /* cancelled */ }
  })();
  const badges = () =>
    events.flatMap((e) => [...e.matchAll(/id="inbox-badge"[^>]*data-unread="(\d+)"/g)])
      .map((m) => Number(m[1]));
  const notices = () =>
    events.flatMap((e) =>
      [...e.matchAll(/<p class="notice[^"]*"[^>]*>.*?<\/p>/gs)].map((m) => m[0])
    );
  return {
    events,
    badges,
    notices,
    /** Waits until the latest badge shows `n`. */
    waitForBadge: (n: number) => waitUntil(() => badges().at(-1) === n, `a badge of ${n}`),
    waitForNotice: (pattern: RegExp) =>
      waitUntil(() => notices().some((n) => pattern.test(n)), `a notice like ${pattern}`),
    close: async () => {
      abort();
      await reader.cancel().catch(() => {});
      await done;
    },
  };
}

/** The inbox stream of a real server, for the person behind `cookie`. */
export async function inboxClient(base: string, cookie: string, path = "/inbox/events") {
  const controller = new AbortController();
  const res = await fetch(`${base}${path}`, { headers: { cookie }, signal: controller.signal });
  return readInbox(res, () => controller.abort());
}
