// SVG building blocks for the chart: text, lines, polylines, and axis ticks.

/** Escapes text for an SVG text node or attribute. */
export function escape_xml(content: string): string {
  return content.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A `<text>` element at (x, y) with extra attributes. */
export function text(x: number, y: number, content: string, extra = ""): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${extra}>${escape_xml(content)}</text>`;
}

/** A one-pixel `<line>`, light grey unless `stroke` is given. */
export function line(x1: number, y1: number, x2: number, y2: number, stroke = "#eee"): string {
  const f = (v: number) => v.toFixed(1);
  return `<line x1="${f(x1)}" y1="${f(y1)}" x2="${f(x2)}" y2="${f(y2)}" stroke="${stroke}"/>`;
}

/** A `<polyline>` through the points, or nothing when there are none. */
export function polyline(points: [number, number][], color: string): string {
  if (!points.length) return "";
  const list = points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" ");
  return `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${list}"/>`;
}

/** Ticks at 1, 2 and 5 of each decade between `min` and `max`. */
export function log_ticks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let decade = Math.floor(Math.log10(min)); decade <= Math.ceil(Math.log10(max)); decade++) {
    for (const step of [1, 2, 5]) {
      const tick = Number((step * 10 ** decade).toPrecision(1));
      if (tick >= min && tick <= max) ticks.push(tick);
    }
  }
  return ticks;
}

/** The smallest 1, 2, 2.5, 5 or 10 × a power of ten ≥ `value` (1 when not positive). */
export function nice_max(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}
