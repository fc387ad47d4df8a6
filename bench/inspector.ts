// A short DevTools-protocol session with a server (started with --inspect) to force garbage
// collection before a memory reading. The session is closed again right after: while one is
// open, Deno reports every WebSocket frame to it, which would slow the server down.

type Reply = { id: number; result?: Record<string, unknown>; error?: { message: string } };

/** JS heap figures from V8, in bytes. */
export interface HeapUsage {
  used: number;
  total: number;
}

async function open_session(port: number) {
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const socket = new WebSocket(targets[0].webSocketDebuggerUrl);
  await new Promise((resolve, reject) => (socket.onopen = resolve, socket.onerror = reject));
  const pending = new Map<number, (reply: Reply) => void>();
  let next = 0;
  socket.onmessage = (event) => {
    const reply = JSON.parse(event.data) as Reply;
    pending.get(reply.id)?.(reply);
    pending.delete(reply.id);
  };
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = ++next;
      pending.set(
        id,
        (r) => r.error ? reject(new Error(r.error.message)) : resolve(r.result ?? {}),
      );
      socket.send(JSON.stringify({ id, method, params }));
    });
  const closed = new Promise((resolve) => socket.onclose = resolve);
  return { call, close: () => (socket.close(), closed) };
}

/** Runs two full garbage collections in the server; returns the JS heap afterwards. */
export async function collect_garbage(port: number): Promise<HeapUsage> {
  const session = await open_session(port);
  try {
    await session.call("HeapProfiler.collectGarbage");
    await session.call("HeapProfiler.collectGarbage");
    const usage = await session.call("Runtime.getHeapUsage");
    return { used: Number(usage.usedSize), total: Number(usage.totalSize) };
  } finally {
    await session.close();
  }
}
