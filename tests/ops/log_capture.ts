// Captures the log's lines for a test, then puts the log back as it was.
import { configureLog, type LogSettings } from "../../log.ts";

/** Sends the log's lines to an array (at `settings`) until disposed. */
export function captureLog(settings: LogSettings = { level: "debug", format: "json" }) {
  const lines: string[] = [];
  const before = configureLog(settings, (line) => lines.push(line));
  const restore = () => void configureLog(before.settings, before.sink);
  /** The JSON lines whose msg is `msg`. */
  const entries = (msg: string) =>
    lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === msg);
  return { lines, entries, restore, [Symbol.dispose]: restore };
}
