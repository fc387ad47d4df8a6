// The reference: a bare Deno WebSocket broadcast server, no framework, no database. Every
// text frame received on any socket goes to every open socket (and to every SSE stream).
// Run: PORT=8001 deno run -A bench/bare_server.ts

const encoder = new TextEncoder();
const sockets = new Set<WebSocket>();
const streams = new Set<ReadableStreamDefaultController<Uint8Array>>();

/** Sends one frame to every WebSocket and every SSE stream. */
export function broadcast(data: string): void {
  for (const socket of sockets) {
    if (socket.readyState === WebSocket.OPEN) socket.send(data);
  }
  if (!streams.size) return;
  const event = encoder.encode(`data: ${data}\n\n`);
  for (const controller of streams) controller.enqueue(event);
}

function open_socket(request: Request): Response {
  const { socket, response } = Deno.upgradeWebSocket(request);
  socket.onopen = () => sockets.add(socket);
  socket.onclose = () => sockets.delete(socket);
  socket.onerror = () => {};
  socket.onmessage = (event) => {
    if (typeof event.data === "string") broadcast(event.data);
  };
  return response;
}

function open_stream(): Response {
  let own: ReadableStreamDefaultController<Uint8Array> | null = null;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      own = controller;
      streams.add(controller);
      controller.enqueue(encoder.encode("retry: 1000\n\n"));
    },
    cancel() {
      if (own) streams.delete(own);
    },
  }, { highWaterMark: 0 });
  return new Response(body, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
  });
}

/** Routes: /healthz, /live (WebSocket), /events (SSE). */
export function handle(request: Request): Response {
  const path = new URL(request.url).pathname;
  if (path === "/healthz") return Response.json({ ok: true });
  if (path === "/live" && request.headers.get("upgrade")?.toLowerCase() === "websocket") {
    return open_socket(request);
  }
  if (path === "/events") return open_stream();
  return new Response("Not found", { status: 404 });
}

if (import.meta.main) {
  const port = Number(Deno.env.get("PORT") ?? "8001");
  const hostname = Deno.env.get("HOST") ?? "127.0.0.1";
  Deno.serve({ port, hostname, onListen: () => {} }, handle);
  Deno.addSignalListener("SIGTERM", () => Deno.exit(0));
}
