// Delivers bots' outgoing webhooks: every instance runs one, claiming due rows with
// `for update skip locked` (db/webhook_deliveries.ts), so each mention is POSTed by one of
// them. Errors are logged and retried with exponential backoff; nothing here may throw out.
import { createHmac } from "node:crypto";
import type { Kysely } from "kysely";
import { claimDue, type DueDelivery, recordAttempt } from "../db/webhook_deliveries.ts";
import type { Database } from "../db/schema.ts";
import { log } from "../log.ts";

/** How often and how hard the worker tries; tests shorten the waits. */
export interface WorkerOptions {
  pollMs: number;
  /** The wait after the first failed attempt; each later one doubles it, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  maxAttempts: number;
  timeoutMs: number;
}

const DEFAULTS: WorkerOptions = {
  pollMs: 1000,
  baseDelayMs: 2000,
  maxDelayMs: 10 * 60_000,
  maxAttempts: 5,
  timeoutMs: 5000,
};

/** The signature header's value: HMAC-SHA256 of `<timestamp>.<body>` with the bot's secret. */
export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** The JSON a bot's URL receives for a mention. */
export function payloadOf(d: DueDelivery): string {
  return JSON.stringify({
    event: "mention",
    bot: d.bot_name,
    id: d.message_id,
    room: d.room_slug,
    author: d.author,
    body: d.body,
    created_at: new Date(d.created_at).toISOString(),
    version: d.version,
  });
}

/** One instance's delivery loop; start() once, stop() resolves when it has let go. */
export class WebhookWorker {
  #options: WorkerOptions;
  #stopping = new AbortController();
  #loop: Promise<void> | null = null;

  constructor(private db: Kysely<Database>, options: Partial<WorkerOptions> = {}) {
    this.#options = { ...DEFAULTS, ...options };
  }

  /** Starts polling for due deliveries. */
  start() {
    this.#loop ??= this.#run();
  }

  /** Stops: in-flight POSTs are aborted (their rows are retried when the lease ends). */
  async stop() {
    this.#stopping.abort();
    await this.#loop;
  }

  async #run() {
    const signal = this.#stopping.signal;
    while (!signal.aborted) {
      try {
        const due = await claimDue(this.db, { limit: 10, leaseSeconds: 60 });
        await Promise.all(due.map((d) => this.#deliver(d)));
        if (due.length) continue;
      } catch (error) {
        if (!signal.aborted) log.error("Webhook deliveries could not be claimed", { error });
      }
      await sleep(this.#options.pollMs, signal);
    }
  }

  async #deliver(d: DueDelivery) {
    const outcome = await this.#post(d);
    if (!outcome.ok) log.warn("Webhook delivery failed", { bot: d.bot_name, ...outcome });
    const retry = !outcome.ok && d.attempts < this.#options.maxAttempts && outcome.retry;
    const delay = Math.min(
      this.#options.baseDelayMs * 2 ** (d.attempts - 1),
      this.#options.maxDelayMs,
    );
    const retryAt = retry ? new Date(Date.now() + delay) : null;
    await recordAttempt(this.db, d, { ...outcome, retryAt }).catch((error) =>
      log.error("A webhook delivery's outcome could not be stored", { error })
    );
  }

  async #post(d: DueDelivery) {
    if (!d.webhook_url) {
      return { ok: false, status: null, error: "The bot has no webhook URL", retry: false };
    }
    if (d.deleted_at) {
      return { ok: false, status: null, error: "The message was deleted", retry: false };
    }
    const body = payloadOf(d);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signal = AbortSignal.any([
      this.#stopping.signal,
      AbortSignal.timeout(this.#options.timeoutMs),
    ]);
    try {
      const res = await fetch(d.webhook_url, {
        method: "POST",
        body,
        redirect: "manual",
        signal,
        headers: {
          "content-type": "application/json",
          "user-agent": "Hyperchat-Webhook",
          "x-hyperchat-timestamp": timestamp,
          "x-hyperchat-signature": signature(d.signing_secret, timestamp, body),
          "x-hyperchat-delivery": d.message_id,
        },
      });
      await res.body?.cancel();
      if (res.ok) return { ok: true, status: res.status, error: null, retry: false };
      return {
        ok: false,
        status: res.status,
        error: `The URL answered ${res.status}`,
        retry: true,
      };
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return { ok: false, status: null, error: `The POST failed: ${why}`, retry: true };
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
