// A flood of oversized requests against a real server process, with its memory before, at
// the peak and after: concurrent chunked and sized form posts (guest signup and message
// posts), then sockets each sending one large WebSocket frame. The server must still answer.
//
//   deno run --allow-all bench/flood.ts [posts=20] [min_mb=50] [max_mb=200] [sockets=8] [frame_mb=60]
//
// DATABASE_URL set: the server uses that Postgres; else an embedded database in memory.
import { read_memory } from "./proc.ts";

const [posts, minMb, maxMb, sockets, frameMb] = [20, 50, 200, 8, 60].map((fallback, i) =>
  Number(Deno.args[i] ?? fallback)
);
const MB = 1024 * 1024;
const port = 20_000 + Math.floor(Math.random() * 20_000);
const base = `http://127.0.0.1:${port}`;

const env: Record<string, string> = { PORT: String(port), HOST: "127.0.0.1" };
if (!Deno.env.get("DATABASE_URL")) env.DATA_DIR = ":memory:";
const child = new Deno.Command(Deno.execPath(), {
  args: ["run", "--allow-all", new URL("../main.ts", import.meta.url).pathname],
  env,
  stdout: "null",
  stderr: "inherit",
}).spawn();

/** A form body of `bytes` bytes, as chunks (no Content-Length), never held whole. */
function chunked(bytes: number): ReadableStream<Uint8Array> {
  const chunk = new Uint8Array(MB).fill(0x61);
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent === 0) controller.enqueue(new TextEncoder().encode("body="));
      if (sent >= bytes) return controller.close();
      controller.enqueue(chunk), sent += chunk.length;
    },
  });
}

async function post(path: string, body: BodyInit, cookie = ""): Promise<string> {
  const headers = { origin: base, cookie, "content-type": "application/x-www-form-urlencoded" };
  try {
    const res = await fetch(`${base}${path}`, {
      method: "POST",
      headers,
      body,
      redirect: "manual",
    });
    await res.body?.cancel();
    return String(res.status);
  } catch {
    return "reset";
  }
}

async function ready() {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("The server did not start");
}

async function frames(cookie: string): Promise<string[]> {
  const payload = JSON.stringify({ body: "x".repeat(frameMb * MB) });
  return await Promise.all(Array.from({ length: sockets }, () =>
    new Promise<string>((resolve) => {
      const ws = new WebSocket(`${base.replace("http", "ws")}/rooms/flood/live`, {
        headers: { cookie, origin: base },
      });
      ws.onopen = () => ws.send(payload);
      ws.onclose = (e) => resolve(String(e.code));
      ws.onerror = () => {};
    })));
}

const kb = () => read_memory(child.pid);
const settle = () => new Promise((r) => setTimeout(r, 3000));
try {
  await ready();
  const guest = await fetch(`${base}/guest`, {
    method: "POST",
    headers: { origin: base },
    body: new URLSearchParams({ nickname: "flood" }),
    redirect: "manual",
  });
  await guest.body?.cancel();
  const cookie = guest.headers.getSetCookie()[0].split(";")[0];
  await post("/rooms", new URLSearchParams({ name: "flood" }), cookie);
  await settle();
  const before = kb();
  const sizes = Array.from({ length: posts }, (_, i) => (minMb + (maxMb - minMb) * i / posts) * MB);
  const started = performance.now();
  const statuses = await Promise.all(
    sizes.map((bytes, i) =>
      i % 2
        ? post("/rooms/flood/messages", chunked(bytes), cookie)
        : post("/signup", new Uint8Array(bytes).fill(0x61))
    ),
  );
  const postMs = Math.round(performance.now() - started);
  await settle();
  const afterPosts = kb();
  const closes = await frames(cookie);
  await settle();
  const after = kb();
  await new Promise((r) => setTimeout(r, 15_000));
  const later = kb();
  const alive = (await fetch(`${base}/`)).status;
  const mb = (k: number) => `${(k / 1024).toFixed(0)} MB`;
  console.log(`posts: ${posts} of ${minMb}-${maxMb} MB in ${postMs} ms -> ${count(statuses)}`);
  console.log(
    `  server RSS before ${mb(before.rss_kb)}, peak ${mb(afterPosts.hwm_kb)}, after ${
      mb(afterPosts.rss_kb)
    }`,
  );
  console.log(`frames: ${sockets} of ${frameMb} MB -> close codes ${count(closes)}`);
  console.log(
    `  server RSS peak ${mb(after.hwm_kb)}, after ${mb(after.rss_kb)}, ${
      mb(later.rss_kb)
    } 15 s later`,
  );
  console.log(`still serving: GET / ${alive}`);
} finally {
  child.kill("SIGTERM");
  await child.status;
}

function count(values: string[]): string {
  const tally = new Map<string, number>();
  for (const v of values) tally.set(v, (tally.get(v) ?? 0) + 1);
  return [...tally].map(([v, n]) => `${n}x ${v}`).join(", ");
}
