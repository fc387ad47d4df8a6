/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** A wall-clock limit shared by every phase of one invocation. */
export class Deadline {
  readonly #end: number;
  constructor(seconds: number) {
    this.#end = performance.now() + seconds * 1000;
  }

  /** Milliseconds left (0 once passed). */
  remaining_ms(): number {
    return Math.max(0, this.#end - performance.now());
  }

  /** True once the deadline has passed. */
  passed(): boolean {
    return this.remaining_ms() === 0;
  }

  /** The earlier of `ms` from now and the deadline, as milliseconds from now. */
  cap(ms: number): number {
    return Math.min(ms, this.remaining_ms());
  }
}

/** Polls `done` every `every_ms` until it is true or `ms` pass; returns whether it became true. */
export async function wait_until(
  done: () => boolean,
  ms: number,
  every_ms = 20,
): Promise<boolean> {
  const end = performance.now() + ms;
  while (!done()) {
    if (performance.now() >= end) return false;
    await sleep(every_ms);
  }
  return true;
}

/** Runs `task` over `items` with at most `limit` running at once; results keep input order. */
export async function map_limited<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index], index);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
