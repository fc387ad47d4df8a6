import { type Context, Hono } from "hono";
import { changeEmail, changePassword } from "../db/account.ts";
import { listApiTokens } from "../db/api_tokens.ts";
import { feedTokenMade, replaceFeedToken, revokeFeedToken } from "../db/feed_tokens.ts";
import { hashPassword, passwordProblem } from "../db/passwords.ts";
import { emailProblem, findUserByName } from "../db/users.ts";
import type { MentionFeedState } from "../views/account_feed.tsx";
import { type AccountOutcome, AccountPage } from "../views/account_page.tsx";
import { accountTokenRoutes } from "./account_tokens.tsx";
import type { AuthedEnv, Deps } from "./env.ts";
import { requireUser } from "./guards.ts";
import { LoginGate } from "./login_gate.ts";
import { publicOrigin } from "./public_origin.ts";

const DONE: Record<string, AccountOutcome> = {
  password: { form: "password", done: "Password changed; your other devices were signed out." },
  email: { form: "email", done: "Email saved." },
};

/**
 * `/account`: the person's page. `POST /account/password` (fields `current_password`,
 * `new_password`) sets a new password and ends the person's other sessions, closing their live
 * connections on every instance; this session stays. `POST /account/email` (`email`,
 * `current_password`) sets the reset address. A wrong current password counts as a failed
 * login (it is one, by whoever holds the session). Refusals show in the page.
 * `POST /account/mention-feed` makes (or replaces) the private mention feed's link and shows
 * it once; `POST /account/mention-feed/revoke` ends it.
 */
export function accountRoutes(deps: Deps) {
  const app = new Hono<AuthedEnv>();
  const gate = new LoginGate();
  app.use(requireUser());
  app.route("/tokens", accountTokenRoutes(deps)); // account_tokens.tsx: personal API tokens

  const page = async (
    c: Context<AuthedEnv>,
    outcome?: AccountOutcome,
    feed: Partial<MentionFeedState> = {},
  ) => {
    const user = c.get("user");
    const email = (await findUserByName(deps.db, user.username))?.email ?? null;
    const made = await feedTokenMade(deps.db, user.id);
    const tokens = await listApiTokens(deps.db, user.id);
    const props = { user, email, outcome, feed: { ...feed, made }, tokens };
    return <AccountPage {...props} />;
  };

  app.get("/", async (c) => {
    const done = c.req.query("done");
    const feed = done === "feed-off" ? { done: "Your mention feed is off." } : {};
    return c.html(await page(c, DONE[done ?? ""], feed));
  });

  // The new address is shown in this answer only (no redirect): only its hash is kept.
  app.post("/mention-feed", async (c) => {
    const token = await replaceFeedToken(deps.db, c.get("user").id);
    const fresh = `${publicOrigin(deps, c)}/feeds/mentions/${token}.atom`;
    c.header("cache-control", "no-store");
    return c.html(await page(c, undefined, { fresh }));
  });

  app.post("/mention-feed/revoke", async (c) => {
    await revokeFeedToken(deps.db, c.get("user").id);
    return c.redirect("/account?done=feed-off", 303);
  });

  /** The form's fields once the current password is right; else the page saying why. */
  async function confirmed(c: Context<AuthedEnv>, form: AccountOutcome["form"]) {
    const body = await c.req.parseBody();
    const text = (name: string) => typeof body[name] === "string" ? body[name] as string : "";
    const refuse = async (error: string, status: 401 | 403 | 429) => ({
      refused: c.html(await page(c, { form, error }), status),
    });
    const user = await findUserByName(deps.db, c.get("user").username);
    if (!user?.password_hash) return await refuse("Guests have no password to change", 403);
    const keys = { account: user.username, address: c.get("clientAddress") ?? "unknown" };
    const attempt = { keys, password: text("current_password"), stored: user.password_hash };
    const outcome = await gate.verify(deps.db, attempt, deps.config.login);
    if (outcome === "busy") {
      return await refuse("Too many attempts at once from your address; wait a minute", 429);
    }
    if (outcome === "wrong") return await refuse("The current password is wrong", 401);
    return { user, text };
  }

  app.post("/password", async (c) => {
    const ok = await confirmed(c, "password");
    if ("refused" in ok) return ok.refused;
    const problem = passwordProblem(ok.text("new_password"), ok.user.username);
    if (problem) return c.html(await page(c, { form: "password", error: problem }), 422);
    const passwordHash = await hashPassword(ok.text("new_password"));
    await changePassword(deps.db, { userId: ok.user.id, passwordHash, keep: c.get("session") });
    return c.redirect("/account?done=password", 303);
  });

  app.post("/email", async (c) => {
    const ok = await confirmed(c, "email");
    if ("refused" in ok) return ok.refused;
    const email = ok.text("email").trim();
    const problem = emailProblem(email);
    if (problem) return c.html(await page(c, { form: "email", error: problem }), 422);
    await changeEmail(deps.db, { userId: ok.user.id, email: email || null });
    return c.redirect("/account?done=email", 303);
  });

  return app;
}
