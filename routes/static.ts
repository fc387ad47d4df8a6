import { Hono } from "hono";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

// htmx comes from its npm package and is served by the app itself: never a CDN.
const FILES: Record<string, { path: string; type: string }> = {
  "htmx.min.js": { path: require.resolve("htmx.org/dist/htmx.min.js"), type: "text/javascript" },
  "ws.js": { path: require.resolve("htmx-ext-ws/dist/ws.min.js"), type: "text/javascript" },
  "sse.js": { path: require.resolve("htmx-ext-sse/dist/sse.min.js"), type: "text/javascript" },
  "chat.js": {
    path: new URL("../static/chat.js", import.meta.url).pathname,
    type: "text/javascript",
  },
  "app.css": { path: new URL("../static/app.css", import.meta.url).pathname, type: "text/css" },
};

/** Serves the stylesheet and scripts from memory, read once at start. */
export async function staticRoutes() {
  const cache = new Map<string, Uint8Array<ArrayBuffer>>();
  for (const [name, file] of Object.entries(FILES)) {
    cache.set(name, await Deno.readFile(file.path));
  }
  return new Hono().get("/:name", (c) => {
    const name = c.req.param("name");
    const body = cache.get(name);
    if (!body) return c.text("Not found", 404);
    return c.body(body, 200, {
      "content-type": `${FILES[name].type}; charset=utf-8`,
      "cache-control": "public, max-age=300",
    });
  });
}
