import type { ChatEvent } from "./events.ts";

/** What the bus calls: every event, and after every (re)connect so callers can catch up. */
export interface BusHandlers {
  onEvent(event: ChatEvent): void;
  onListen(): void;
}

/** One LISTEN connection per instance. */
export interface Bus {
  start(handlers: BusHandlers): Promise<void>;
  /** Forces a fresh LISTEN connection (used when heartbeats stop arriving). */
  restart(): Promise<void>;
  isUp(): boolean;
  stop(): Promise<void>;
}
