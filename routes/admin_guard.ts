import type { Context } from "hono";
import type { JSX } from "hono/jsx/jsx-runtime";
import { createMiddleware } from "hono/factory";
import type { AdminOutcome } from "../db/audit.ts";
import type { User } from "../db/schema.ts";
import type { AuthedEnv } from "./env.ts";

/** Lets admins through; everyone else, signed in or not, gets 403 on every admin route. */
export function requireAdmin() {
  return createMiddleware<AuthedEnv>(async (c, next) => {
    // Mounted without requireUser: the user may be missing here, whatever AuthedEnv says.
    const user = c.get("user") as User | null;
    if (user?.role === "admin" && !user.deactivated_at) return await next();
    return c.text("Only admins can use the admin panel", 403);
  });
}

/** An admin page rendered again with a refusal's reason at its top. */
export type ErrorPage = (error: string) => Promise<JSX.Element>;

/**
 * Answers an admin form post: back to `to` when done, else `page` again with the reason
 * shown in it and the refusal's status.
 */
export async function afterAction(
  c: Context<AuthedEnv>,
  outcome: AdminOutcome,
  to: string,
  page: ErrorPage,
) {
  if (outcome.ok) return c.redirect(to, 303);
  return c.html(await page(outcome.reason), outcome.status);
}

/** A form field as trimmed text ("" when absent or a file). */
export function field(form: Record<string, unknown>, name: string): string {
  const value = form[name];
  return typeof value === "string" ? value.trim() : "";
}
