// Deno's built-in OpenTelemetry, end to end: the app runs as its own process with OTEL_DENO=true
// and exports to a tiny OTLP/HTTP (JSON) collector served by this test.
import assert from "node:assert/strict";

interface Span {
  name: string;
  attributes: { key: string; value: { stringValue?: string } }[];
}

/** A collector on a free port that keeps every span it receives. */
function collector() {
  const spans: Span[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    const body = await req.json().catch(() => ({}));
    if (new URL(req.url).pathname === "/v1/traces") {
      for (const resource of body.resourceSpans ?? []) {
        for (const scope of resource.scopeSpans ?? []) spans.push(...(scope.spans ?? []));
      }
    }
    return Response.json({});
  });
  return { spans, url: `http://127.0.0.1:${server.addr.port}`, stop: () => server.shutdown() };
}

/** Starts main.ts in a child process; resolves with its base URL once it says it listens. */
async function startChild(env: Record<string, string>) {
  const child = new Deno.Command(Deno.execPath(), {
    // The permissions `deno task start` gives: exporting needs nothing more.
    args: ["run", "--allow-net", "--allow-env", "--allow-read", "main.ts"],
    env: { PORT: "0", HOST: "127.0.0.1", DATA_DIR: ":memory:", ...env },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!/localhost:(\d+)/.test(seen)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the app exited before listening: ${seen}`);
    seen += value;
  }
  // Keep draining so the child never blocks on a full pipe.
  (async () => {
    while (!(await reader.read()).done);
  })().catch(() => {});
  const port = seen.match(/localhost:(\d+)/)![1];
  return { child, base: `http://127.0.0.1:${port}` };
}

Deno.test("with OTEL_DENO, a request's span is named by its route", async () => {
  const otlp = collector();
  const { child, base } = await startChild({
    OTEL_DENO: "true",
    OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
    OTEL_SERVICE_NAME: "hyperchat-test",
    OTEL_BSP_SCHEDULE_DELAY: "100",
  });
  try {
    await (await fetch(`${base}/rooms/traced-room`)).body?.cancel();
    const deadline = Date.now() + 20_000;
    const named = () => otlp.spans.find((s) => s.name === "GET /rooms/:slug");
    while (!named() && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const span = named();
    assert.ok(span, `a span named by route; got ${otlp.spans.map((s) => s.name).join(", ")}`);
    const route = span.attributes.find((a) => a.key === "http.route");
    assert.equal(route?.value.stringValue, "/rooms/:slug");
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await otlp.stop();
  }
});
