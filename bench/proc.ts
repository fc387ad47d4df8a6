// Readers for /proc: memory and CPU of a process, and this process's limits (Linux only).

/** Resident memory of a process in KiB: current (VmRSS) and peak (VmHWM). */
export interface Memory {
  rss_kb: number;
  hwm_kb: number;
}

/** Reads VmRSS and VmHWM from /proc/<pid>/status; zeros when unavailable. */
export function read_memory(pid: number): Memory {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    const field = (name: string) =>
      Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(status)?.[1]);
    return { rss_kb: field("VmRSS") || 0, hwm_kb: field("VmHWM") || 0 };
  } catch {
    return { rss_kb: 0, hwm_kb: 0 };
  }
}

/** Clock ticks per second for /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
export const CLOCK_TICKS = read_clock_ticks();

function read_clock_ticks(): number {
  try {
    const out = new Deno.Command("getconf", { args: ["CLK_TCK"], stderr: "null" }).outputSync();
    const ticks = Number(new TextDecoder().decode(out.stdout).trim());
    return ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
}

/** User plus system CPU time of a process, in microseconds (0 when unavailable). */
export function read_cpu_us(pid: number | "self"): number {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    // The command name may contain spaces; fields after it start at ") ".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the name.
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks * 1e6 / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** The soft open-file limit of this process, or null when it cannot be read. */
export function open_file_limit(): number | null {
  try {
    const limits = Deno.readTextFileSync("/proc/self/limits");
    const soft = /^Max open files\s+(\S+)/m.exec(limits)?.[1];
    return soft === "unlimited" ? Infinity : Number(soft) || null;
  } catch {
    return null;
  }
}

/** True when `name` is an executable found on PATH. */
export function on_path(name: string): boolean {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      if (dir && Deno.statSync(`${dir}/${name}`).isFile) return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

/** The kernel's monotonic clock in µs (10 ms steps); V8 CPU profiles use the same clock. */
export function monotonic_us(): number {
  return Number(Deno.readTextFileSync("/proc/uptime").split(" ")[0]) * 1e6;
}

/** Jiffies of one core: busy (steal included), stolen by the hypervisor, and in all. */
export interface CoreTimes {
  busy: number;
  steal: number;
  total: number;
}

/** Busy, stolen and total jiffies per core, from /proc/stat. */
export function read_core_times(): CoreTimes[] {
  try {
    return Deno.readTextFileSync("/proc/stat").split("\n")
      .filter((line) => /^cpu\d+ /.test(line))
      .map((line) => {
        const ticks = line.split(/\s+/).slice(1).map(Number);
        const total = ticks.reduce((sum, t) => sum + t, 0);
        return { busy: total - ticks[3] - ticks[4], steal: ticks[7] ?? 0, total };
      });
  } catch {
    return [];
  }
}

/** Percent of each core's time spent on `part` between two read_core_times() readings. */
export function core_percent(
  before: CoreTimes[],
  after: CoreTimes[],
  part: "busy" | "steal" = "busy",
): number[] {
  return after.map((a, i) => {
    const total = a.total - (before[i]?.total ?? 0);
    return total > 0 ? 100 * (a[part] - (before[i]?.[part] ?? 0)) / total : NaN;
  });
}

/** CPU time (µs) of every process on the machine, by pid, with its name. */
export function read_all_cpu(): Map<number, { name: string; cpu_us: number }> {
  const all = new Map<number, { name: string; cpu_us: number }>();
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const name = Deno.readTextFileSync(`/proc/${entry.name}/comm`).trim();
      all.set(Number(entry.name), { name, cpu_us: read_cpu_us(Number(entry.name)) });
    } catch {
      // the process ended meanwhile
    }
  }
  return all;
}

/** The command line of a process, shortened (empty when it has ended). */
export function command_line(pid: number, length = 90): string {
  try {
    return Deno.readTextFileSync(`/proc/${pid}/cmdline`).replaceAll("\0", " ").trim()
      .slice(0, length);
  } catch {
    return "";
  }
}

/**
 * Processes other than `own` (and Postgres) that used more than `min_percent` of a core
 * between two read_all_cpu() readings `wall_us` apart: noise that skews a measurement. Over a
 * short window one clock tick (10 ms) is already several percent: `min_us` sets a floor.
 */
export function busy_strangers(
  before: Map<number, { name: string; cpu_us: number }>,
  after: Map<number, { name: string; cpu_us: number }>,
  own: number[],
  wall_us: number,
  min_percent = 5,
  min_us = 0,
): string[] {
  const found: [number, string][] = [];
  for (const [pid, { name, cpu_us }] of after) {
    if (own.includes(pid) || name === "postgres") continue;
    const used = cpu_us - (before.get(pid)?.cpu_us ?? 0);
    const percent = 100 * used / wall_us;
    if (percent >= min_percent && used > min_us) {
      found.push([
        percent,
        `${name}[${pid}] ${Math.round(percent)}% (${command_line(pid) || "ended"})`,
      ]);
    }
  }
  return found.sort((a, b) => b[0] - a[0]).map(([, text]) => text);
}

/** CPU time (µs) used between two read_all_cpu() readings by processes called `name`. */
export function cpu_of_named(
  before: Map<number, { name: string; cpu_us: number }>,
  after: Map<number, { name: string; cpu_us: number }>,
  name: string,
): number {
  let sum = 0;
  for (const [pid, entry] of after) {
    if (entry.name === name) sum += entry.cpu_us - (before.get(pid)?.cpu_us ?? 0);
  }
  return sum;
}

/** Percent of all cores busy over `ms` milliseconds. */
export async function machine_busy_percent(ms: number): Promise<number> {
  const before = read_core_times();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const busy = core_percent(before, read_core_times());
  return busy.reduce((sum, p) => sum + p, 0) / Math.max(1, busy.length);
}
