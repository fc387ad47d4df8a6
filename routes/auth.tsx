import { Hono } from "hono";
import type { Context } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import { hashPassword, passwordProblem } from "../db/passwords.ts";
import { createSession, deleteSession } from "../db/sessions.ts";
import { readSettings, registrationOf } from "../db/settings.ts";
import { signupRefusal } from "../db/registration.ts";
import { signUp } from "../db/signup.ts";
import { forgetFailures, takeGuestSlot } from "../db/throttle.ts";
import {
  createUser,
  emailProblem,
  findUserByName,
  noAdminYet,
  randomNickname,
  usernameProblem,
} from "../db/users.ts";
import type { LobbyForm } from "../views/signed_out.tsx";
import type { Deps, Env } from "./env.ts";
import { sessionCookie } from "./guards.ts";
import { signedOutLobby } from "./lobby_offer.tsx";
import { LoginGate } from "./login_gate.ts";

/** Starts a session for the person (rotating any the browser had) and goes to the lobby. */
export async function startSession(c: Context<Env>, deps: Deps, userId: string) {
  // Rotate: whatever session the browser had ends when a new one starts.
  const old = c.get("token");
  if (old) await deleteSession(deps.db, old);
  const cookie = sessionCookie(deps.config, c.req.raw);
  setCookie(c, cookie.name, await createSession(deps.db, userId), {
    httpOnly: true,
    sameSite: "Lax",
    secure: cookie.secure,
    path: "/",
    maxAge: 30 * 86_400,
  });
  return c.redirect("/", 303);
}

/** The lobby again, with the failed form's reason and what was typed in it. */
async function refuse(
  c: Context<Env>,
  deps: Deps,
  failed: LobbyForm,
  status: 401 | 403 | 422 | 429 = 422,
) {
  return c.html(await signedOutLobby(deps, failed), status);
}

/** The lobby and /join forms' fields, as text ("" when absent). */
export async function fields(c: Context<Env>) {
  const form = await c.req.parseBody();
  const text = (name: string) => typeof form[name] === "string" ? (form[name] as string) : "";
  return {
    username: text("username").trim(),
    password: text("password"),
    nickname: text("nickname").trim(),
    email: text("email").trim(),
  };
}

/** Sign up, log in, log out, and guest sessions. */
export function authRoutes(deps: Deps) {
  const app = new Hono<Env>();
  const gate = new LoginGate();

  app.post("/signup", async (c) => {
    const { username, password, email } = await fields(c);
    const failed = (error: string) => ({ form: "signup" as const, username, email, error });
    const problem = usernameProblem(username) ?? passwordProblem(password, username) ??
      emailProblem(email);
    if (problem) return await refuse(c, deps, failed(problem));
    const mode = registrationOf(await readSettings(deps.db), deps.config.registration);
    // Refused before the (slow, on purpose) hash; signUp checks again under its lock.
    const early = mode === "open" || await noAdminYet(deps.db) ? null : signupRefusal(mode, {
      invited: false,
      firstAccount: false,
    });
    if (early) return await refuse(c, deps, failed(early), 403);
    const passwordHash = await hashPassword(password);
    const user = await signUp(deps.db, { username, passwordHash, email: email || null, mode });
    if (user === "taken") return await refuse(c, deps, failed("That username is taken"));
    if ("refused" in user) return await refuse(c, deps, failed(user.refused), 403);
    return await startSession(c, deps, user.id);
  });

  app.post("/login", async (c) => {
    const { username, password } = await fields(c);
    const keys = { account: username, address: c.get("clientAddress") ?? "unknown" };
    const user = username ? await findUserByName(deps.db, username) : null;
    // Unknown names, guests and deactivated accounts cost a hash too: timing tells nothing.
    const stored = user && !user.deactivated_at ? user.password_hash : null;
    // Failures slow the next attempt; only a flood of waiting attempts is refused.
    const outcome = await gate.verify(deps.db, { keys, password, stored }, deps.config.login);
    if (outcome === "busy") {
      const error = "Too many sign-in attempts at once from your address; wait a minute";
      return await refuse(c, deps, { form: "login", username, error }, 429);
    }
    if (!user || outcome === "wrong") {
      return await refuse(
        c,
        deps,
        { form: "login", username, error: "Wrong username or password" },
        401,
      );
    }
    await forgetFailures(deps.db, keys);
    return await startSession(c, deps, user.id);
  });

  app.post("/guest", async (c) => {
    const { nickname } = await fields(c);
    if (!(await readSettings(deps.db)).guestsEnabled) {
      const error = "Guests are not allowed here: sign up or log in";
      return await refuse(c, deps, { form: "guest", username: nickname, error }, 403);
    }
    const problem = nickname ? usernameProblem(nickname) : null;
    if (problem) {
      return await refuse(c, deps, { form: "guest", username: nickname, error: problem });
    }
    if (
      !(await takeGuestSlot(deps.db, c.get("clientAddress") ?? "unknown", deps.config.guestLimit))
    ) {
      const error = "Too many guests joined from your address; wait ten minutes or sign up";
      return await refuse(c, deps, { form: "guest", username: nickname, error }, 429);
    }
    for (let attempt = 0; attempt < 5; attempt++) {
      const username = nickname || randomNickname();
      const user = await createUser(deps.db, { username, passwordHash: null, role: "guest" });
      if (user !== "taken") return await startSession(c, deps, user.id);
      if (nickname) break;
    }
    return await refuse(c, deps, {
      form: "guest",
      username: nickname,
      error: "That name is taken",
    });
  });

  app.post("/logout", async (c) => {
    const token = c.get("token");
    if (token) await deleteSession(deps.db, token);
    const cookie = sessionCookie(deps.config, c.req.raw);
    deleteCookie(c, cookie.name, { path: "/", secure: cookie.secure });
    return c.redirect("/", 303);
  });

  return app;
}
