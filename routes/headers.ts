import { createMiddleware } from "hono/factory";

/**
 * The page's whole script, style and connection budget: only this origin, no inline script
 * or style, no eval, never framed. Views keep styles in static/app.css (no style="") and htmx
 * is configured not to inject its indicator style (views/layout.tsx): both change with this.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join("; ");

// same-origin, not no-referrer: without a referrer browsers send `Origin: null` on form
// posts, which the Origin check (routes/guards.ts) refuses.
const HEADERS: Record<string, string> = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
  "x-frame-options": "DENY",
};

/**
 * The header a response sets to be shown in a frame of this site's own pages (the room's
 * message list without JavaScript, routes/room_log.tsx); every other answer is never framed.
 */
export const SAME_ORIGIN_FRAME = "x-frame-options";

/** Security headers on every response: pages, fragments, static files, errors and streams. */
export function securityHeaders() {
  return createMiddleware(async (c, next) => {
    await next();
    // A WebSocket upgrade's 101 answer belongs to the runtime; its headers cannot change.
    if (c.res.status === 101) return;
    const framed = c.res.headers.get(SAME_ORIGIN_FRAME) === "SAMEORIGIN";
    // A served file's own policy is stricter still (a sandbox: routes/room_files.tsx).
    const own = c.res.headers.get("content-security-policy");
    for (const [name, value] of Object.entries(HEADERS)) c.res.headers.set(name, value);
    if (own?.startsWith("sandbox")) c.res.headers.set("content-security-policy", own);
    if (!framed) return;
    c.res.headers.set("x-frame-options", "SAMEORIGIN");
    c.res.headers.set(
      "content-security-policy",
      CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", "frame-ancestors 'self'"),
    );
  });
}
