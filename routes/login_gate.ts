import type { Kysely } from "kysely";
import { verifyOrWaste } from "../db/passwords.ts";
import type { Database } from "../db/schema.ts";
import { keysOf, loginDelay, type LoginKeys, recordFailure } from "../db/throttle.ts";

/** Delayed attempts one address may have waiting at once before more are refused. */
export const MAX_WAITING = 32;

/**
 * Holds login attempts for their delay (db/throttle.ts loginDelay) on this instance. Attempts
 * on the same key (address, or address and name) wait in line, one delay apart, so sending
 * them in parallel gains nothing. Only delayed attempts wait or count: a busy address with no
 * failures passes straight through. An address with too many attempts waiting is refused
 * (memory, not passwords: the owner elsewhere is never affected).
 */
export class LoginGate {
  #next = new Map<string, number>();
  #waiting = new Map<string, number>();

  /** Waits this attempt's turn; false when its address already has too many waiting. */
  async wait(keys: { pair: string; address: string }, delayMs: number): Promise<boolean> {
    if (delayMs <= 0) return true;
    const waiting = this.#waiting.get(keys.address) ?? 0;
    if (waiting >= MAX_WAITING) return false;
    this.#waiting.set(keys.address, waiting + 1);
    try {
      await new Promise((resolve) => setTimeout(resolve, this.#turn(keys, delayMs) - Date.now()));
    } finally {
      const left = (this.#waiting.get(keys.address) ?? 1) - 1;
      if (left) this.#waiting.set(keys.address, left);
      else this.#waiting.delete(keys.address);
    }
    return true;
  }

  /**
   * Checks a password under the throttle (signing in, or confirming before a password
   * change): waits the attempt's delay, verifies it (against a dummy hash when nothing is
   * stored, so timing tells nothing) and counts a failure. "busy": too many waiting.
   */
  async verify(
    db: Kysely<Database>,
    input: { keys: LoginKeys; password: string; stored: string | null },
    delays: { delayMs: number; maxDelayMs: number },
  ): Promise<"ok" | "wrong" | "busy"> {
    const delay = await loginDelay(db, input.keys, delays);
    if (!(await this.wait(keysOf(input.keys), delay))) return "busy";
    if (await verifyOrWaste(input.password, input.stored)) return "ok";
    await recordFailure(db, input.keys);
    return "wrong";
  }

  /** When this attempt may go: its delay from now, and one delay after the one before it. */
  #turn(keys: { pair: string; address: string }, delayMs: number): number {
    this.#forgetPast();
    const now = Date.now();
    const at = Math.max(
      now + delayMs,
      ...[keys.pair, keys.address].map((k) => this.#next.get(k) ?? 0),
    );
    for (const key of [keys.pair, keys.address]) this.#next.set(key, at + delayMs);
    return at;
  }

  #forgetPast() {
    if (this.#next.size < 1000) return;
    const now = Date.now();
    for (const [key, at] of this.#next) if (at < now) this.#next.delete(key);
  }
}
