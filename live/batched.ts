interface Asking<V> {
  resolve(value: V): void;
  reject(error: unknown): void;
}

/**
 * Answers many questions with few queries: the first question runs at once, and every
 * question asked while a query is in flight waits for the next one, which answers them all.
 * An idle instance pays no delay; a restart storm (thousands of pages reconnecting at once)
 * pays one query per round instead of one per page.
 */
export class Batched<K, V> {
  #waiting = new Map<K, Asking<V>[]>();
  #busy = false;

  /** `load` answers a set of keys at once; a key it leaves out gets `missing`. */
  constructor(private load: (keys: K[]) => Promise<Map<K, V>>, private missing: V) {}

  /** The answer for one key. */
  get(key: K): Promise<V> {
    return new Promise((resolve, reject) => {
      const asking = this.#waiting.get(key) ?? [];
      asking.push({ resolve, reject });
      this.#waiting.set(key, asking);
      if (!this.#busy) this.#run();
    });
  }

  async #run() {
    this.#busy = true;
    while (this.#waiting.size) {
      const round = this.#waiting;
      this.#waiting = new Map();
      try {
        const answers = await this.load([...round.keys()]);
        for (const [key, asking] of round) {
          const answer = answers.has(key) ? answers.get(key)! : this.missing;
          asking.forEach((a) => a.resolve(answer));
        }
      } catch (error) {
        for (const asking of round.values()) asking.forEach((a) => a.reject(error));
      }
    }
    this.#busy = false;
  }
}
