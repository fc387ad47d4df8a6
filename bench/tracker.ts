// Who received what: latencies, losses and duplicates per subscriber, and connection errors.
import { BucketMax, Samples, Timeline } from "./stats.ts";

/** First few connection problems, and how many there were. */
export class ErrorLog {
  count = 0;
  readonly samples: string[] = [];

  /** Records one problem. */
  add(message: string): void {
    this.count++;
    if (this.samples.length < 5) this.samples.push(message);
  }
}

/**
 * Who received what. Indices below `first_measured` are warm-up messages: they are tracked
 * (to know the room is live) but left out of every figure.
 */
export class Tracker {
  readonly latencies = new Samples();
  readonly echo_latencies = new Samples();
  readonly timeline = new Timeline(100);
  /** Worst latency per 100 ms of send time. */
  readonly worst = new BucketMax(100);
  readonly per_message: Uint32Array;
  /** Per message: the latency of its first and of its last delivery (NaN until one arrives). */
  readonly first_ms: Float64Array;
  readonly last_ms: Float64Array;
  readonly #seen: Uint8Array;
  delivered = 0;
  /** Unique deliveries including warm-up, and the characters of every frame received. */
  all_deliveries = 0;
  received_chars = 0;
  duplicates = 0;
  strays = 0;
  last_delivery_ms = 0;
  /** Each subscriber's group (the app instance it connected to) and per group figures. */
  #group_of: Uint8Array | null = null;
  group_latencies: Samples[] = [];
  group_delivered: number[] = [];

  constructor(
    readonly subscribers: number,
    readonly indices: number,
    readonly first_measured: number,
  ) {
    this.per_message = new Uint32Array(indices);
    this.first_ms = new Float64Array(indices).fill(NaN);
    this.last_ms = new Float64Array(indices).fill(NaN);
    this.#seen = new Uint8Array(subscribers * indices);
  }

  /** Files subscriber `sub` under group `group_of[sub]` (0 … groups − 1) from now on. */
  set_groups(group_of: Uint8Array, groups: number): void {
    this.#group_of = group_of;
    this.group_latencies = Array.from({ length: groups }, () => new Samples());
    this.group_delivered = new Array(groups).fill(0);
  }

  /** Sets the time zero of the time series. */
  start(at_ms: number): void {
    this.timeline.start(at_ms);
    this.worst.start(at_ms);
  }

  /** Records that subscriber `sub` received message `index`, sent at `sent_us`. */
  record(sub: number, index: number, sent_us: number, now_ms: number): void {
    if (index >= this.indices) return void this.strays++;
    const slot = sub * this.indices + index;
    if (this.#seen[slot]) return void this.duplicates++;
    this.#seen[slot] = 1;
    this.per_message[index]++;
    this.all_deliveries++;
    if (index < this.first_measured) return;
    this.delivered++;
    this.last_delivery_ms = now_ms;
    const latency = now_ms - sent_us / 1000;
    this.latencies.push(latency);
    if (this.#group_of) {
      const group = this.#group_of[sub];
      this.group_latencies[group].push(latency);
      this.group_delivered[group]++;
    }
    this.timeline.add(now_ms);
    this.worst.add(sent_us / 1000, latency);
    if (!(this.first_ms[index] <= latency)) this.first_ms[index] = latency;
    if (!(this.last_ms[index] >= latency)) this.last_ms[index] = latency;
  }

  /**
   * Per measured message that reached everyone: when its first delivery arrived (the server's
   * path up to the first write: parse, store, commit) and how long its deliveries took to
   * spread from first to last (the fan-out and the generator's reading).
   */
  split(sent: number): { first: Float64Array; spread: Float64Array } {
    const first = new Samples();
    const spread = new Samples();
    const end = Math.min(this.indices, this.first_measured + sent);
    for (let i = this.first_measured; i < end; i++) {
      if (this.per_message[i] < this.subscribers) continue;
      first.push(this.first_ms[i]);
      spread.push(this.last_ms[i] - this.first_ms[i]);
    }
    return { first: first.sorted(), spread: spread.sorted() };
  }

  /** Measured messages that did not reach every subscriber. */
  lost_messages(sent: number): number {
    let lost = 0;
    const end = Math.min(this.indices, this.first_measured + sent);
    for (let i = this.first_measured; i < end; i++) {
      if (this.per_message[i] < this.subscribers) lost++;
    }
    return lost;
  }
}
