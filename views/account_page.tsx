import type { TokenRow } from "../db/api_tokens.ts";
import type { User } from "../db/schema.ts";
import { ApiTokensCard } from "./api_tokens.tsx";
import { MentionFeedCard, type MentionFeedState } from "./account_feed.tsx";
import { FormError, Layout } from "./layout.tsx";
import { Field } from "./signed_out.tsx";

/** Which account form answered, and how: a refusal's reason, or what was done. */
export interface AccountOutcome {
  form: "password" | "email";
  error?: string;
  done?: string;
}

function PasswordForm(props: { outcome?: AccountOutcome }) {
  const mine = props.outcome?.form === "password" ? props.outcome : undefined;
  return (
    <form class="card" method="post" action="/account/password">
      <h2>Change your password</h2>
      <Field
        label="Current password"
        name="current_password"
        type="password"
        auto="current-password"
      />
      <Field label="New password" name="new_password" type="password" auto="new-password" />
      <p>Your other devices are signed out when the password changes.</p>
      <FormError message={mine?.error} />
      {mine?.done && <p role="status">{mine.done}</p>}
      <button type="submit">Change password</button>
    </form>
  );
}

function EmailForm(props: { email: string | null; outcome?: AccountOutcome }) {
  const mine = props.outcome?.form === "email" ? props.outcome : undefined;
  return (
    <form class="card" method="post" action="/account/email">
      <h2>Email for password resets</h2>
      <Field
        label="Email (blank for none)"
        name="email"
        type="email"
        value={props.email ?? ""}
        auto="email"
        optional
      />
      <Field
        label="Current password"
        name="current_password"
        type="password"
        auto="current-password"
      />
      <FormError message={mine?.error} />
      {mine?.done && <p role="status">{mine.done}</p>}
      <button type="submit">Save email</button>
    </form>
  );
}

/**
 * `/account`: change the password and the reset email, and the mention feed's link (plain
 * forms, no script needed).
 */
export function AccountPage(
  props: {
    user: User;
    email: string | null;
    outcome?: AccountOutcome;
    feed: MentionFeedState;
    tokens: TokenRow[];
  },
) {
  const guest = props.user.role === "guest";
  return (
    <Layout title="Your account" user={props.user}>
      <main id="main" class="lobby">
        <h1>Your account</h1>
        <p>Signed in as @{props.user.username}.</p>
        {guest
          ? <p>Guests have no password or email: sign up for an account to keep one.</p>
          : (
            <div class="cards">
              <PasswordForm outcome={props.outcome} />
              <EmailForm email={props.email} outcome={props.outcome} />
            </div>
          )}
        <MentionFeedCard feed={props.feed} />
        {!guest && <ApiTokensCard tokens={props.tokens} />}
      </main>
    </Layout>
  );
}
