/** How subscribers connect: WebSocket, Server-Sent Events, or alternating. */
export type Transport = "ws" | "sse" | "mix";

/**
 * What one subscriber opens: "off" = one room connection (the default); "old" = what a room
 * page opened before feeds were merged (room connection + SSE `/inbox/events` + SSE
 * `/presence/events?in=<room id>`); "new" = one room connection with `?feeds=1`.
 */
export type Page = "off" | "old" | "new";

/** App instances a run can start: one, A (senders) + B (subscribers), or four sharing the pages. */
export type Instances = 1 | 2 | 4;

/** Connections one subscriber (page) opens in a page mode. */
export function connections_per_page(page: Page): number {
  return page === "old" ? 3 : 1;
}

/** Everything the command line can set. */
export interface BenchOptions {
  n: number;
  messages: number;
  rate: number;
  senders: number;
  transport: Transport;
  page: Page;
  /** Checkout whose main.ts is the app (absolute path); null = this repository. */
  app_dir: string | null;
  instances: Instances;
  db: string | null;
  /** No warm-up of any kind: the first measured message is the first the server handles. */
  cold: boolean;
  reference: boolean;
  suite: boolean;
  window: number;
  warmup: number;
  drain_s: number;
  settle_s: number;
  warm_connections: number;
  quiet_s: number;
  deadline_s: number;
  connect_concurrency: number;
  pin: boolean;
  force_gc: boolean;
  help: boolean;
}

/** Upper bounds that keep one run finite on a laptop. */
export const LIMITS = { n: 5000, messages: 100_000, deliveries: 10_000_000, senders: 16 };

const DEFAULTS: BenchOptions = {
  n: 100,
  messages: 200,
  rate: 50,
  senders: 4,
  transport: "ws",
  page: "off",
  app_dir: null,
  instances: 1,
  db: null,
  cold: false,
  reference: false,
  suite: false,
  window: 32,
  warmup: 20,
  drain_s: 10,
  settle_s: 3,
  warm_connections: 50,
  quiet_s: 60,
  deadline_s: 0,
  connect_concurrency: 32,
  pin: true,
  force_gc: true,
  help: false,
};

/** The `--help` text. */
export const USAGE = `deno task bench [options]

  --n=100            subscribers (idle connections that receive every message)
  --messages=200     messages to send (0: only measure idle memory)
  --rate=50          messages per second in total; 0 = unthrottled (bounded in-flight)
  --senders=4        sending WebSockets (one guest each)
  --transport=ws     ws | sse | mix (subscribers; senders always use WebSocket)
  --page=old|new     each subscriber opens what a room page opens (default: off, one room
                     connection): old = room connection + SSE /inbox/events + SSE
                     /presence/events?in=<room id>; new = one room connection with ?feeds=1.
                     Latency is read on the room connection; memory and opening rate are
                     per page. The bare server stays one connection per page
  --app-dir=PATH     start the app from PATH/main.ts (another checkout; default: this one)
  --instances=1      2 = senders on instance A, subscribers on B; 4 = subscribers spread
                     evenly over instances A-D (round robin), senders on A. Both need --db
                     and also run one instance with the same load to compare with
  --db=URL           Postgres server database (default: env DATABASE_URL, else embedded PGlite)
  --reference        also run bench/bare_server.ts with the same load and print ratios
  --suite            the README set; writes bench/out/results.md
  --window=32        unthrottled: most unacknowledged messages per sender
  --warmup=20        messages sent (and each awaited) before measuring; 0 = include cold start
  --cold             no warm-up at all: --warmup=0 and --warm-connections=0, so after the
                     restart that follows setup the server handles only the senders' and
                     subscribers' connections before the first measured message
  --drain=10         seconds to wait for outstanding deliveries after the last send
  --settle=3         seconds of pause before each memory reading
  --warm-connections=50  subscribers opened and closed before the first memory reading, so
                     one-time costs (compiled code, database pool) are not charged per connection
  --quiet=60         wait up to this many seconds for a quiet machine (<15% busy) before sending
  --deadline=S       global deadline in seconds (default 570; 1500 with --suite)
  --concurrency=32   connections opened at once
  --no-pin           do not pin server (core 0) and generator (core 1) with taskset
  --no-gc            idle-only runs: do not force GC (via --inspect) before memory readings
`;

function number_option(name: string, value: string, min: number, max: number): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < min || parsed > max) {
    throw new Error(`--${name} must be a number from ${min} to ${max}, got "${value}"`);
  }
  return parsed;
}

function whole_option(name: string, value: string, min: number, max: number): number {
  const parsed = number_option(name, value, min, max);
  if (!Number.isInteger(parsed)) throw new Error(`--${name} must be a whole number`);
  return parsed;
}

/** An absolute checkout folder that holds main.ts. */
function app_dir_option(value: string): string {
  if (!value) throw new Error("--app-dir needs a folder, e.g. --app-dir=/tmp/before");
  const dir = (value.startsWith("/") ? value : `${Deno.cwd()}/${value}`).replace(/\/+$/, "");
  try {
    if (Deno.statSync(`${dir}/main.ts`).isFile) return dir;
  } catch {
    // reported below
  }
  throw new Error(`--app-dir: no main.ts in ${dir}`);
}

function apply(options: BenchOptions, key: string, value: string | null): void {
  const v = value ?? "";
  switch (key) {
    case "n":
      options.n = whole_option(key, v, 1, LIMITS.n);
      break;
    case "messages":
      options.messages = whole_option(key, v, 0, LIMITS.messages);
      break;
    case "rate":
      options.rate = number_option(key, v, 0, 100_000);
      break;
    case "senders":
      options.senders = whole_option(key, v, 1, LIMITS.senders);
      break;
    case "transport":
      if (v !== "ws" && v !== "sse" && v !== "mix") throw new Error("--transport is ws|sse|mix");
      options.transport = v;
      break;
    case "page":
      if (v !== "old" && v !== "new" && v !== "off") throw new Error("--page is old|new|off");
      options.page = v;
      break;
    case "app-dir":
      options.app_dir = app_dir_option(v);
      break;
    case "instances":
      if (v !== "1" && v !== "2" && v !== "4") throw new Error("--instances is 1, 2 or 4");
      options.instances = Number(v) as Instances;
      break;
    case "db":
      if (!/^postgres(ql)?:\/\//.test(v)) throw new Error("--db must be a postgres:// URL");
      options.db = v;
      break;
    case "window":
      options.window = whole_option(key, v, 1, 10_000);
      break;
    case "warmup":
      options.warmup = whole_option(key, v, 0, 100);
      break;
    case "drain":
      options.drain_s = number_option(key, v, 0.1, 300);
      break;
    case "settle":
      options.settle_s = number_option(key, v, 0, 60);
      break;
    case "warm-connections":
      options.warm_connections = whole_option(key, v, 0, 1000);
      break;
    case "quiet":
      options.quiet_s = number_option(key, v, 0, 3600);
      break;
    case "deadline":
      options.deadline_s = number_option(key, v, 1, 86_400);
      break;
    case "concurrency":
      options.connect_concurrency = whole_option(key, v, 1, 1000);
      break;
    case "reference":
    case "suite":
    case "cold":
    case "help":
      options[key] = true;
      break;
    case "no-pin":
      options.pin = false;
      break;
    case "no-gc":
      options.force_gc = false;
      break;
    default:
      throw new Error(`Unknown option --${key} (see --help)`);
  }
}

/** Parses `--key=value` / `--flag` arguments over the defaults and checks the bounds. */
export function parse_options(
  args: readonly string[],
  env: Record<string, string | undefined> = {},
): BenchOptions {
  const options: BenchOptions = { ...DEFAULTS, db: env.DATABASE_URL?.trim() || null };
  for (const arg of args) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new Error(`Options look like --n=100, got "${arg}"`);
    apply(options, match[1], match[2] ?? null);
  }
  if (options.n * options.messages > LIMITS.deliveries) {
    throw new Error(`--n × --messages must stay below ${LIMITS.deliveries} deliveries`);
  }
  options.deadline_s ||= options.suite ? 1500 : 570;
  if (options.instances > 1 && !options.db) {
    throw new Error(
      `--instances=${options.instances} needs a Postgres server: pass --db=URL or set DATABASE_URL`,
    );
  }
  if (options.cold) {
    const warm = args.find((arg) => /^--(warmup|warm-connections)=(?!0$)/.test(arg));
    if (warm) throw new Error(`--cold skips every warm-up; drop ${warm}`);
    options.warmup = 0;
    options.warm_connections = 0;
  }
  return options;
}
