// One status line on stderr, redrawn in place with \r while a run is going.

const encoder = new TextEncoder();
const WIDTH = 110;

/** A self-refreshing progress line. */
export class Progress {
  #status: () => string = () => "";
  #timer: ReturnType<typeof setInterval>;
  #last = "";

  constructor(readonly label: string, every_ms = 250) {
    this.#timer = setInterval(() => this.draw(), every_ms);
  }

  /** Switches to a new phase; `status` is polled for the rest of the line. */
  phase(name: string, status: () => string = () => ""): void {
    this.#status = () => `${name} ${status()}`;
    this.draw();
  }

  /** Redraws the line now. */
  draw(): void {
    const line = `[${this.label}] ${this.#status()}`.slice(0, WIDTH);
    if (line === this.#last) return;
    this.#last = line;
    Deno.stderr.writeSync(encoder.encode(`\r${line.padEnd(WIDTH)}`));
  }

  /** Stops refreshing and ends the line. */
  stop(): void {
    clearInterval(this.#timer);
    this.draw();
    Deno.stderr.writeSync(encoder.encode("\n"));
  }
}
