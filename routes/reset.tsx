import { type Context, Hono } from "hono";
import { findReset, useReset } from "../db/password_resets.ts";
import { hashPassword, passwordProblem } from "../db/passwords.ts";
import { takeResetSlot } from "../db/reset_throttle.ts";
import { emailProblem } from "../db/users.ts";
import { mailResets } from "../mail/reset_mail.ts";
import { LinkRefused } from "../views/join_page.tsx";
import { ForgotPage, ResetPage } from "../views/reset_page.tsx";
import { startSession } from "./auth.tsx";
import type { Deps, Env } from "./env.ts";
import { log } from "../log.ts";

const NO_MAIL = "Reset links are not mailed here: ask an admin to make you one";

/**
 * `/reset/<token>`: set a new password once through a reset link (made by an admin, or
 * mailed); every session of the person ends and this browser is signed in afresh.
 * `/forgot`: ask for a link by email, when mail is configured (SMTP_*).
 */
export function resetRoutes(deps: Deps) {
  const app = new Hono<Env>();

  const refused = (c: Context<Env>, reason: string, status: 404 | 410) =>
    c.html(<LinkRefused title="Password reset" reason={reason} user={c.get("user")} />, status);

  app.get("/reset/:token", async (c) => {
    const found = await findReset(deps.db, c.req.param("token"));
    if ("refused" in found) return refused(c, found.refused, found.status);
    return c.html(<ResetPage token={c.req.param("token")} username={found.user.username} />);
  });

  app.post("/reset/:token", async (c) => {
    const token = c.req.param("token");
    const found = await findReset(deps.db, token);
    if ("refused" in found) return refused(c, found.refused, found.status);
    const form = await c.req.parseBody();
    const password = typeof form.new_password === "string" ? form.new_password : "";
    const problem = passwordProblem(password, found.user.username);
    const username = found.user.username;
    if (problem) {
      return c.html(<ResetPage token={token} username={username} error={problem} />, 422);
    }
    const done = await useReset(deps.db, { token, passwordHash: await hashPassword(password) });
    if ("refused" in done) return refused(c, done.refused, done.status);
    return await startSession(c, deps, done.user.id);
  });

  app.get("/forgot", (c) => {
    if (!deps.config.smtp) return refused(c, NO_MAIL, 404);
    return c.html(<ForgotPage />);
  });

  app.post("/forgot", async (c) => {
    const smtp = deps.config.smtp;
    if (!smtp) return refused(c, NO_MAIL, 404);
    const form = await c.req.parseBody();
    const email = typeof form.email === "string" ? form.email.trim() : "";
    const problem = emailProblem(email) ??
      (email ? null : "Give the email address on your account");
    if (problem) return c.html(<ForgotPage email={email} error={problem} />, 422);
    const address = c.get("clientAddress") ?? "unknown";
    if (!await takeResetSlot(deps.db, { address, email })) {
      const error = "Too many reset requests; wait fifteen minutes and try again";
      return c.html(<ForgotPage email={email} error={error} />, 429);
    }
    const origin = deps.config.origins[0];
    mailResets(deps.db, { smtp, email, origin }).catch((error) =>
      log.error(`Mailing a reset link failed: ${error instanceof Error ? error.message : error}`)
    );
    return c.html(<ForgotPage email={email} sent />);
  });

  return app;
}
