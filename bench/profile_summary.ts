// Summarises a V8 .cpuprofile (from BENCH_CPU_PROF=1): self and inclusive time per function
// and self time per package or project file. Usage:
//   deno run -A bench/profile_summary.ts bench/out/prof/CPU.….cpuprofile [top=25]

/** The parts of a V8 CPU profile used here. */
interface Profile {
  startTime: number;
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a profile node's code lives: an npm package, a project file, or the runtime. */
export function area_of(url: string): string {
  if (!url) return "(runtime: GC, native, idle)";
  const npm = /node_modules\/\.deno\/([^/]+)\//.exec(url) ??
    /\/npm\/[^/]+\/([^/]+\/[^/]+)\//.exec(url);
  if (npm) return `npm ${npm[1].replace(/@[\d.]+$/, "")}`;
  if (url.startsWith("ext:") || url.startsWith("node:")) return `deno ${url.split("/")[0]}`;
  const project = /\/work\/[^/]+\/(.*)$/.exec(url)?.[1] ?? url.replace(/^file:\/\//, "");
  return project;
}

function add(map: Map<string, number>, key: string, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

/**
 * Self time by function, inclusive time by function, and self time by area, in ms; only
 * samples inside `window` (µs on the profile's clock) when given.
 */
export function summarize_profile(profile: Profile, window: [number, number] | null = null) {
  const by_id = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const name = (id: number) => {
    const { functionName, url, lineNumber } = by_id.get(id)!.callFrame;
    return `${functionName || "(anonymous)"} ${area_of(url)}:${lineNumber + 1}`;
  };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const areas = new Map<string, number>();
  let total = 0;
  let at_us = profile.startTime;
  profile.samples.forEach((id, i) => {
    at_us += profile.timeDeltas[i] ?? 0;
    if (window && (at_us < window[0] || at_us > window[1])) return;
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    total += ms;
    add(self, name(id), ms);
    add(areas, area_of(by_id.get(id)!.callFrame.url), ms);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const key = name(at);
      if (!seen.has(key)) (seen.add(key), add(inclusive, key, ms));
    }
  });
  return { total, self, inclusive, areas };
}

function top(map: Map<string, number>, count: number, total: number): string {
  return [...map].sort((a, b) => b[1] - a[1]).slice(0, count)
    .map(([key, ms]) =>
      `${ms.toFixed(0).padStart(8)} ms ${(100 * ms / total).toFixed(1).padStart(5)}%  ${key}`
    )
    .join("\n");
}

/** The summary as text: areas, self time and inclusive time, `count` lines each. */
export function top_lines(summary: ReturnType<typeof summarize_profile>, count: number): string {
  const { total, self, inclusive, areas } = summary;
  return [
    `total ${total.toFixed(0)} ms sampled`,
    `\n# self time by area\n${top(areas, count, total)}`,
    `\n# self time by function\n${top(self, count, total)}`,
    `\n# inclusive time by function\n${top(inclusive, count, total)}\n`,
  ].join("\n");
}

/**
 * Summarises the profile a server wrote into `dir` to one phase (the send phase unless `file`
 * names another: `connect_phase.txt`); writes the summary next to it and returns the
 * summary's path (null when there is no profile).
 */
export async function summarize_send_phase(
  dir: string | null,
  window: [number, number],
  file = "send_phase.txt",
): Promise<string | null> {
  if (!dir) return null;
  const files = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.name.endsWith(".cpuprofile")) files.push(`${dir}/${entry.name}`);
  }
  const latest = files.sort().at(-1);
  if (!latest) return null;
  const profile = JSON.parse(await Deno.readTextFile(latest)) as Profile;
  const path = `${dir}/${file}`;
  await Deno.writeTextFile(path, `${latest}\n${top_lines(summarize_profile(profile, window), 30)}`);
  return path;
}

if (import.meta.main) {
  const [path, count = "25"] = Deno.args;
  if (!path) throw new Error("usage: profile_summary.ts FILE.cpuprofile [top]");
  const profile = JSON.parse(await Deno.readTextFile(path));
  console.log(top_lines(summarize_profile(profile), Number(count)));
}
