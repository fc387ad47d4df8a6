// Reading Server-Sent Events from an in-process response, and picking presence out of frames.
import { waitUntil as pollUntil } from "./live_clients.ts";

/** Reads an SSE response's `data:` payloads as they arrive; `close()` cancels the stream. */
export function readEvents(res: Response) {
  const events: { event: string; data: string }[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const done = (async () => {
    let buffer = "";
    try {
      while (true) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const lines = buffer.slice(0, end).split("\n");
          buffer = buffer.slice(end + 2);
          const data = lines.filter((l) => l.startsWith("data: ")).map((l) => l.slice(6));
          const event = lines.find((l) => l.startsWith("event: "))?.slice(7) ?? "message";
          if (data.length) events.push({ event, data: data.join("\n") });
        }
      }
    } catch { /* cancelled */ }
  })();
  return {
    events,
    frames: () => events.map((e) => e.data),
    waitFor: (pattern: RegExp, what = String(pattern)) =>
      waitUntil(() => events.some((e) => pattern.test(e.data)), what),
    close: async () => (await reader.cancel().catch(() => {}), await done),
  };
}

/** Waits for a condition, failing with `what` after `ms`. */
/** waitUntil with a longer default: presence crosses a batch window and sometimes a sweep. */
export function waitUntil(check: () => boolean, what: string, ms = 15_000) {
  return pollUntil(check, what, ms);
}

/**
 * Usernames in the last online list among the frames (null when none arrived yet): the list
 * frame and the frames appending the rest of its names.
 */
export function lastOnline(frames: string[]): string[] | null {
  const at = frames.findLastIndex((f) => f.includes('<section id="online"'));
  if (at === -1) return null;
  const list = frames[at].slice(frames[at].indexOf('<section id="online"'));
  const rest = frames.slice(at + 1).filter((f) => f.startsWith('<ul id="online-names"'));
  return [list.slice(0, list.indexOf("</section>")), ...rest]
    .flatMap((part) => [...part.matchAll(/<li><a href="\/dm\/([^"]+)"/g)].map((m) => m[1]));
}

/** The quiet notices ("ana joined", "Welcome to …") among the frames, in order. */
export function notices(frames: string[]): string[] {
  return frames.flatMap((f) => [...f.matchAll(/<p class="notice[^"]*"[^>]*>([^<]*)<\/p>/g)])
    .map((m) => m[1]);
}

/** Typing lines among the frames, in order ("" for a cleared line). */
export function typingLines(frames: string[]): string[] {
  return frames.flatMap((f) => [...f.matchAll(/<p id="typing"[^>]*>(.*?)<\/p>/g)])
    .map((m) => m[1].replace(/<[^>]+>/g, ""));
}
