// The process's one log: every part writes here instead of console.*, so one setting decides
// the level and the line format everywhere. It lives at the top level, like config.ts, because
// main.ts, routes/, live/ and db/ all write to it; main.ts configures it once at start.

/** How much is kept: a line is written when its level is at or above the setting. */
export type Level = "debug" | "info" | "warn" | "error";

/** LOG_LEVEL and LOG_FORMAT, validated by config.ts. */
export interface LogSettings {
  level: Level;
  format: "json" | "text";
}

/** Where finished lines go (tests pass their own to read them). */
export type Sink = (line: string, level: Level) => void;

/** Named values that go with a line; an Error keeps its stack. */
export type Fields = Record<string, unknown>;

const LEVELS: Level[] = ["debug", "info", "warn", "error"];

const consoleSink: Sink = (line, level) =>
  level === "warn" || level === "error" ? console.error(line) : console.log(line);

let settings: LogSettings = { level: "info", format: "text" };
let sink: Sink = consoleSink;

/** Reads LOG_LEVEL (default info) and LOG_FORMAT (default text), refusing unknown values. */
export function readLogSettings(env: Record<string, string | undefined>): LogSettings {
  const level = (env.LOG_LEVEL?.trim().toLowerCase() || "info") as Level;
  if (!LEVELS.includes(level)) {
    throw new Error(`LOG_LEVEL must be one of debug, info, warn, error, got "${env.LOG_LEVEL}"`);
  }
  const format = env.LOG_FORMAT?.trim().toLowerCase() || "text";
  if (format !== "json" && format !== "text") {
    throw new Error(`LOG_FORMAT must be json or text, got "${env.LOG_FORMAT}"`);
  }
  return { level, format };
}

/**
 * Sets the level and format (main.ts, once) and, when given, where lines go (tests); returns
 * what was set before, so a test can put it back.
 */
export function configureLog(next: LogSettings, to?: Sink): { settings: LogSettings; sink: Sink } {
  const before = { settings, sink };
  settings = next;
  if (to) sink = to;
  return before;
}

/** True when lines of `level` are kept (skip building costly fields otherwise). */
export function logs(level: Level): boolean {
  return LEVELS.indexOf(level) >= LEVELS.indexOf(settings.level);
}

function write(level: Level, message: string, fields: Fields = {}) {
  if (!logs(level)) return;
  const time = new Date().toISOString();
  const values = Object.entries(fields).filter(([, v]) => v !== undefined)
    .map(([k, v]): [string, unknown] => [k, plain(v)]);
  if (settings.format === "json") {
    sink(JSON.stringify({ time, level, msg: message, ...Object.fromEntries(values) }), level);
    return;
  }
  const rest = values.map(([k, v]) => ` ${k}=${textValue(v)}`).join("");
  sink(`${time} ${level.toUpperCase()} ${message}${rest}`, level);
}

/** An Error as its stack (message included); anything else as it is. */
function plain(value: unknown): unknown {
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  return value;
}

/** Bare when it is one plain word, quoted (newlines escaped) otherwise: one event, one line. */
function textValue(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
  return /^[\w.:/@+-]+$/.test(text) ? text : JSON.stringify(text);
}

/** The log: one line per call, at the level its name says. */
export const log = {
  debug: (message: string, fields?: Fields) => write("debug", message, fields),
  info: (message: string, fields?: Fields) => write("info", message, fields),
  warn: (message: string, fields?: Fields) => write("warn", message, fields),
  error: (message: string, fields?: Fields) => write("error", message, fields),
};
