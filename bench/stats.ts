// Latency samples, percentiles and a deliveries-over-time series.

/** A growable list of numbers (latencies in ms). */
export class Samples {
  #values = new Float64Array(1024);
  #count = 0;

  /** Adds one value. */
  push(value: number): void {
    if (this.#count === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.#count++] = value;
  }

  /** How many values were added. */
  get count(): number {
    return this.#count;
  }

  /** A sorted copy of the values. */
  sorted(): Float64Array {
    return this.#values.slice(0, this.#count).sort();
  }
}

/** The value at quantile `q` (0..1) of sorted values (nearest rank); NaN when empty. */
export function quantile(sorted: Float64Array, q: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.ceil(q * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

/** Latency percentiles in milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Percentiles of sorted latencies. */
export function summarize(sorted: Float64Array): LatencySummary {
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    count: sorted.length,
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
    mean: sorted.length ? sum / sorted.length : NaN,
  };
}

/** Counts events in fixed time buckets from a start time. */
export class Timeline {
  #counts: number[] = [];
  #start = 0;
  constructor(readonly bucket_ms = 100) {}

  /** Sets the time zero (performance.now() milliseconds). */
  start(at_ms: number): void {
    this.#start = at_ms;
  }

  /** The time zero. */
  get started_at(): number {
    return this.#start;
  }

  /** Counts one event at `at_ms`. */
  add(at_ms: number): void {
    const bucket = Math.max(0, Math.floor((at_ms - this.#start) / this.bucket_ms));
    while (this.#counts.length <= bucket) this.#counts.push(0);
    this.#counts[bucket]++;
  }

  /** Events per second in each bucket. */
  rates(): number[] {
    return this.#counts.map((count) => count * 1000 / this.bucket_ms);
  }

  /** The highest rate over any window of `window_ms` (a whole number of buckets). */
  peak_rate(window_ms = 1000): number {
    const width = Math.max(1, Math.round(window_ms / this.bucket_ms));
    let best = 0;
    let sum = 0;
    for (let i = 0; i < this.#counts.length; i++) {
      sum += this.#counts[i] - (i >= width ? this.#counts[i - width] : 0);
      best = Math.max(best, sum);
    }
    const span = Math.min(width, this.#counts.length) * this.bucket_ms;
    return span ? best * 1000 / span : 0;
  }
}

/** The largest value seen in each fixed time bucket (e.g. worst latency by send time). */
export class BucketMax {
  #max: number[] = [];
  #start = 0;
  constructor(readonly bucket_ms = 100) {}

  /** Sets the time zero (performance.now() milliseconds). */
  start(at_ms: number): void {
    this.#start = at_ms;
  }

  /** Offers `value` for the bucket of `at_ms`. */
  add(at_ms: number, value: number): void {
    const bucket = Math.max(0, Math.floor((at_ms - this.#start) / this.bucket_ms));
    while (this.#max.length <= bucket) this.#max.push(0);
    if (value > this.#max[bucket]) this.#max[bucket] = value;
  }

  /** The maxima, one per bucket (0 where nothing was seen). */
  values(): number[] {
    return [...this.#max];
  }
}
