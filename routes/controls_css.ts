import { Hono } from "hono";
import { controlsCss } from "../views/message_actions.tsx";

/**
 * `GET /controls.css?for=<user id | admin>`: the stylesheet that shows a reader the message
 * controls they may use (views/message_actions.tsx OwnControlsStyle links it). It only reveals
 * links; every action is checked again on the server. Same query, same rules: cacheable.
 */
export function controlsCssRoutes() {
  return new Hono().get("/controls.css", (c) => {
    const css = controlsCss(c.req.query("for") ?? "");
    if (css === null) return c.text("Not found", 404);
    return c.body(css, 200, {
      "content-type": "text/css; charset=utf-8",
      "cache-control": "public, max-age=300",
    });
  });
}
