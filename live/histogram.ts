// A Prometheus histogram: cumulative bucket counts, a sum and a count, in the text format.

/** Seconds: fan-out is usually a few milliseconds; the top buckets catch a stalled loop. */
export const SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** One histogram series (one set of label values); observe() is cheap enough for each push. */
export class Histogram {
  #counts: number[];
  #sum = 0;
  #count = 0;

  constructor(readonly buckets: number[] = SECONDS_BUCKETS) {
    this.#counts = buckets.map(() => 0);
  }

  /** Records one value. */
  observe(value: number) {
    this.#sum += value;
    this.#count++;
    const i = this.buckets.findIndex((upper) => value <= upper);
    if (i >= 0) this.#counts[i]++;
  }

  /** The series' lines: `name_bucket{...,le="x"}` (cumulative), `name_sum`, `name_count`. */
  lines(name: string, labels: string): string[] {
    const inner = labels ? `${labels},` : "";
    const outer = labels ? `{${labels}}` : "";
    let running = 0;
    const lines = this.buckets.map((upper, i) => {
      running += this.#counts[i];
      return `${name}_bucket{${inner}le="${upper}"} ${running}`;
    });
    lines.push(`${name}_bucket{${inner}le="+Inf"} ${this.#count}`);
    lines.push(`${name}_sum${outer} ${this.#sum}`, `${name}_count${outer} ${this.#count}`);
    return lines;
  }
}
