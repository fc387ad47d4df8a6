import type { User } from "../db/schema.ts";
import { FormError, Layout } from "./layout.tsx";
import { AccountFields, Field } from "./signed_out.tsx";

/** What was typed in a refused /join form, and why it was refused. */
export interface JoinFailure {
  username?: string;
  email?: string;
  error: string;
}

/**
 * `/join/<token>`: the sign-up form of an invitation link, or, for a guests-only link, a
 * nickname to join as a guest with.
 */
export function JoinPage(props: { token: string; guestsOnly: boolean; failed?: JoinFailure }) {
  const { failed } = props;
  return (
    <Layout title="You are invited" user={null}>
      <main id="main" class="lobby">
        <section class="hero">
          <h1>You are invited</h1>
          <p>
            {props.guestsOnly
              ? "Pick a nickname to join the chat as a guest."
              : "Create your account to join the chat."}
          </p>
        </section>
        <div class="cards">
          <form class="card" method="post" action={`/join/${props.token}`}>
            <h2>{props.guestsOnly ? "Join as a guest" : "Create an account"}</h2>
            {props.guestsOnly
              ? <Field label="Nickname" name="username" value={failed?.username} />
              : <AccountFields signup username={failed?.username} email={failed?.email} />}
            <FormError message={failed?.error} />
            <button type="submit">{props.guestsOnly ? "Join as guest" : "Sign up"}</button>
          </form>
        </div>
      </main>
    </Layout>
  );
}

/** A link (invitation or reset) that does not work, and why; the way on is the lobby. */
export function LinkRefused(props: { title: string; reason: string; user?: User | null }) {
  return (
    <Layout title={props.title} user={props.user ?? null}>
      <main id="main" class="lobby">
        <h1>{props.title}</h1>
        <p class="form-error" role="alert">{props.reason}</p>
        <p>
          <a href="/">Go to the lobby</a>
        </p>
      </main>
    </Layout>
  );
}
