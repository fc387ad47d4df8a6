import type { Context, Next } from "hono";
import { PERSON_NAME, textProblem, type TextRule } from "../db/text.ts";
import type { LobbyForm } from "../views/signed_out.tsx";
import type { Deps, Env } from "./env.ts";
import { signedOutLobby } from "./lobby_offer.tsx";

/** Passwords are bounded for hashing too; the signup rule (db/passwords.ts) is stricter. */
const PASSWORD: TextRule = { name: "Password", max: 1024 };

const FORMS: Record<string, LobbyForm["form"]> = {
  "/signup": "signup",
  "/login": "login",
  "/guest": "guest",
};

/**
 * Refuses lobby form fields no account could have (NUL and other controls, bidi overrides,
 * oversized) with a reason, before routes/auth.tsx looks anyone up or hashes anything.
 * Mount it on exactly the POST paths in FORMS.
 */
export function checkAuthInput(deps: Deps) {
  return async (c: Context<Env>, next: Next) => {
    const form = await c.req.parseBody();
    const text = (name: string) => typeof form[name] === "string" ? form[name] as string : "";
    const guest = c.req.path === "/guest";
    const username = text(guest ? "nickname" : "username").trim();
    const rule = guest ? { ...PERSON_NAME, name: "Nickname" } : PERSON_NAME;
    const error = textProblem(username, rule) ?? textProblem(text("password"), PASSWORD);
    if (!error) return await next();
    return c.html(await signedOutLobby(deps, { form: FORMS[c.req.path], username, error }), 422);
  };
}
