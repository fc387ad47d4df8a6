import type { Context } from "hono";
import type { Deps } from "./env.ts";

/**
 * The address links handed to people start with (invitations, reset links): the first
 * ORIGIN, else the request's own (an admin's page only: mailed links require ORIGIN, so a
 * forged Host header can never point a mailed link elsewhere).
 */
export function publicOrigin(deps: Deps, c: Context): string {
  return deps.config.origins[0] ?? new URL(c.req.url).origin;
}
