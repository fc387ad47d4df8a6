import { Hono } from "hono";
import { changePassword } from "../db/account.ts";
import { hashPassword, passwordProblem } from "../db/passwords.ts";
import { findUserByName } from "../db/users.ts";
import type { AuthedEnv, Deps } from "./env.ts";
import { requireUser } from "./guards.ts";
import { LoginGate } from "./login_gate.ts";

/**
 * `POST /account/password` (fields `current_password`, `new_password`): sets a new password
 * and ends the person's other sessions, closing their live connections on every instance; this
 * session stays. A wrong current password counts as a failed login (it is one, by whoever holds
 * the session). The page for it comes with the account settings; answers are plain text.
 */
export function accountRoutes(deps: Deps) {
  const app = new Hono<AuthedEnv>();
  const gate = new LoginGate();
  app.use(requireUser());

  app.post("/password", async (c) => {
    const form = await c.req.parseBody();
    const text = (name: string) => typeof form[name] === "string" ? form[name] as string : "";
    const user = await findUserByName(deps.db, c.get("user").username);
    if (!user?.password_hash) return c.text("Guests have no password to change", 403);
    const keys = { account: user.username, address: c.get("clientAddress") ?? "unknown" };
    const attempt = { keys, password: text("current_password"), stored: user.password_hash };
    const outcome = await gate.verify(deps.db, attempt, deps.config.login);
    if (outcome === "busy") {
      return c.text("Too many attempts at once from your address; wait a minute", 429);
    }
    if (outcome === "wrong") return c.text("The current password is wrong", 401);
    const problem = passwordProblem(text("new_password"), user.username);
    if (problem) return c.text(problem, 422);
    const passwordHash = await hashPassword(text("new_password"));
    await changePassword(deps.db, { userId: user.id, passwordHash, keep: c.get("session") });
    return c.redirect("/", 303);
  });

  return app;
}
