import { type Context, Hono } from "hono";
import { findInvitation } from "../db/invitations.ts";
import { hashPassword, passwordProblem } from "../db/passwords.ts";
import { readSettings, registrationOf } from "../db/settings.ts";
import { signUp } from "../db/signup.ts";
import { emailProblem, usernameProblem } from "../db/users.ts";
import { type JoinFailure, JoinPage, LinkRefused } from "../views/join_page.tsx";
import { fields, startSession } from "./auth.tsx";
import type { Deps, Env } from "./env.ts";

const CLOSED = "Sign-up is closed here, invitations included: ask an admin for an account";

/**
 * `/join/<token>`: sign up through an invitation link (as a guest for a guests-only link),
 * in open and invitation modes; closed refuses every link. Each sign-up takes one use.
 */
export function invitationRoutes(deps: Deps) {
  const app = new Hono<Env>();

  const refused = (c: Context<Env>, reason: string, status: 403 | 404 | 410) =>
    c.html(<LinkRefused title="Invitation" reason={reason} user={c.get("user")} />, status);

  /** The invitation behind the URL, or the page refusing it. */
  async function invitation(c: Context<Env>) {
    const mode = registrationOf(await readSettings(deps.db), deps.config.registration);
    if (mode === "closed") return { page: refused(c, CLOSED, 403), mode };
    const found = await findInvitation(deps.db, c.req.param("token") ?? "");
    if ("refused" in found) return { page: refused(c, found.refused, found.status), mode };
    return { found, mode };
  }

  app.get("/:token", async (c) => {
    const { page, found } = await invitation(c);
    if (!found) return page;
    return c.html(<JoinPage token={c.req.param("token")} guestsOnly={found.guests_only} />);
  });

  app.post("/:token", async (c) => {
    const { page, found, mode } = await invitation(c);
    if (!found) return page;
    const token = c.req.param("token");
    const { username, password, email } = await fields(c);
    const again = (failed: JoinFailure, status: 403 | 404 | 410 | 422) =>
      c.html(<JoinPage token={token} guestsOnly={found.guests_only} failed={failed} />, status);
    const problem = usernameProblem(username) ??
      (found.guests_only ? null : passwordProblem(password, username) ?? emailProblem(email));
    if (problem) return again({ username, email, error: problem }, 422);
    const passwordHash = found.guests_only ? null : await hashPassword(password);
    const user = await signUp(deps.db, {
      username,
      passwordHash,
      email: email || null,
      mode,
      token,
    });
    if (user === "taken") return again({ username, email, error: "That name is taken" }, 422);
    if ("refused" in user) return refused(c, user.refused, user.status);
    return await startSession(c, deps, user.id);
  });

  return app;
}
