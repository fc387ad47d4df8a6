// A hand-written SVG: latency CDF (log scale), deliveries/s over time, and worst latency
// over time (by send time), one line per run.
import type { RunResult } from "./scenario.ts";
import { line, log_ticks, nice_max, polyline, text } from "./svg.ts";

/** One line on both panels. */
export interface Series {
  name: string;
  color: string;
  result: RunResult;
}

/** Distinct colours for up to four series. */
export const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"];

const PANEL = { width: 440, height: 300, left: 60, right: 16, top: 40, bottom: 44 };
const INNER = {
  w: PANEL.width - PANEL.left - PANEL.right,
  h: PANEL.height - PANEL.top - PANEL.bottom,
};
const TIMELINE_BUCKET_MS = 100;
const RATE_POINTS = 60;
/** The CDF's y axis is in "nines" (p50, p90, p99, p99.9) so the tail gets room. */
const TAIL = 0.999;

function nines(q: number): number {
  return -Math.log10(1 - Math.min(q, TAIL));
}

/** Merges consecutive buckets (mean or max) so a long run still draws about RATE_POINTS points. */
function coarsen(values: number[], factor: number, merge: "mean" | "max"): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i += factor) {
    const group = values.slice(i, i + factor);
    out.push(
      merge === "max" ? Math.max(...group) : group.reduce((sum, v) => sum + v, 0) / group.length,
    );
  }
  return out;
}

function frame(x0: number, title: string, x_label: string, y_label: string): string {
  const { left, top, height } = PANEL;
  const middle = top + INNER.h / 2;
  return [
    `<rect x="${x0 + left}" y="${top}" width="${INNER.w}" height="${INNER.h}" ` +
    'fill="none" stroke="#999"/>',
    text(x0 + left + INNER.w / 2, 24, title, 'text-anchor="middle" font-weight="bold"'),
    text(x0 + left + INNER.w / 2, height - 8, x_label, 'text-anchor="middle"'),
    text(
      x0 + 14,
      middle,
      y_label,
      `transform="rotate(-90 ${x0 + 14} ${middle})" ` +
        'text-anchor="middle"',
    ),
  ].join("\n");
}

function cdf_panel(series: Series[], x0: number): string {
  const { left, top } = PANEL;
  const values = series.flatMap((s) => s.result.cdf.map(([v]) => v)).filter((v) => v > 0);
  const min = Math.max(0.01, 10 ** Math.floor(Math.log10(Math.min(...values, 1))));
  const max = 10 ** Math.ceil(Math.log10(Math.max(...values, 10)));
  const sx = (v: number) =>
    x0 + left + INNER.w * Math.log(Math.max(v, min) / min) / Math.log(max / min);
  const sy = (q: number) => top + INNER.h * (1 - nines(q) / nines(TAIL));
  const parts = [frame(x0, "Latency CDF", "latency (ms, log scale)", "percentile")];
  for (const tick of log_ticks(min, max)) {
    parts.push(line(sx(tick), top, sx(tick), top + INNER.h));
    parts.push(
      text(sx(tick), top + INNER.h + 14, String(tick), 'text-anchor="middle" font-size="10"'),
    );
  }
  for (const q of [0, 0.5, 0.9, 0.99, TAIL]) {
    parts.push(line(x0 + left, sy(q), x0 + left + INNER.w, sy(q)));
    const label = `p${Number((q * 100).toFixed(1))}`;
    parts.push(text(x0 + left - 4, sy(q) + 3, label, 'text-anchor="end" font-size="10"'));
  }
  for (const s of series) {
    parts.push(polyline(s.result.cdf.map(([v, q]) => [sx(v), sy(q)]), s.color));
  }
  return parts.join("\n");
}

/** What a time panel shows. */
interface TimePanel {
  title: string;
  y_label: string;
  x_label: string;
  pick: (r: RunResult) => number[];
  merge: "mean" | "max";
}

const RATE_PANEL: TimePanel = {
  title: "Deliveries per second",
  y_label: "deliveries/s",
  x_label: "seconds since first send (receive time)",
  pick: (r) => r.rates,
  merge: "mean",
};

const WORST_PANEL: TimePanel = {
  title: "Worst latency by send time",
  y_label: "ms",
  x_label: "seconds since first send (send time)",
  pick: (r) => r.worst_ms,
  merge: "max",
};

function y_axis(x0: number, peak: number, sy: (v: number) => number): string[] {
  const { left } = PANEL;
  const parts: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const value = peak * i / 4;
    const label = value >= 100 ? Math.round(value).toLocaleString("en-US") : String(value);
    parts.push(line(x0 + left, sy(value), x0 + left + INNER.w, sy(value)));
    parts.push(text(x0 + left - 4, sy(value) + 3, label, 'text-anchor="end" font-size="10"'));
  }
  return parts;
}

function time_panel(series: Series[], x0: number, panel: TimePanel): string {
  const { left, top } = PANEL;
  const buckets = Math.max(1, ...series.map((s) => panel.pick(s.result).length));
  const factor = Math.max(1, Math.round(buckets / RATE_POINTS));
  const values = series.map((s) => coarsen(panel.pick(s.result), factor, panel.merge));
  const longest = Math.max(1, ...values.map((v) => v.length));
  const bucket_ms = TIMELINE_BUCKET_MS * factor;
  const peak = nice_max(Math.max(...values.flat(), 1));
  const sx = (i: number) => x0 + left + INNER.w * i / longest;
  const sy = (value: number) => top + INNER.h * (1 - value / peak);
  const parts = [frame(x0, panel.title, panel.x_label, panel.y_label), ...y_axis(x0, peak, sy)];
  const seconds = longest * bucket_ms / 1000;
  const step = nice_max(seconds / 6);
  for (let t = 0; t <= seconds + 1e-9; t += step) {
    const label = String(Number(t.toFixed(2)));
    parts.push(
      text(
        sx(t * 1000 / bucket_ms),
        top + INNER.h + 14,
        label,
        'text-anchor="middle" font-size="10"',
      ),
    );
  }
  for (const [k, s] of series.entries()) {
    parts.push(polyline(values[k].map((v, i) => [sx(i + 0.5), sy(v)]), s.color));
  }
  return parts.join("\n");
}

function legend(series: Series[], y: number): string {
  return series.map((s, i) => {
    const x = PANEL.left + i * 400;
    const l = s.result.latency;
    const label = `${s.name}: p50 ${l.p50.toFixed(2)} ms, p99 ${l.p99.toFixed(2)} ms, ` +
      `${Math.round(s.result.deliveries_per_s).toLocaleString("en-US")} deliveries/s`;
    return `<rect x="${x}" y="${y - 9}" width="12" height="4" fill="${s.color}"/>` +
      text(x + 16, y - 4, label, 'font-size="11"');
  }).join("\n");
}

/** The whole chart as an SVG document. */
export function render_chart(title: string, series: Series[]): string {
  const width = PANEL.width * 3;
  const height = PANEL.height + 40;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    text(8, 14, title, 'font-size="12" fill="#444"'),
    `<g transform="translate(0 10)">`,
    cdf_panel(series, 0),
    time_panel(series, PANEL.width, RATE_PANEL),
    time_panel(series, PANEL.width * 2, WORST_PANEL),
    `</g>`,
    legend(series, height - 4),
    `</svg>`,
  ].join("\n");
}
