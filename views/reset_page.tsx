import { FormError, Layout } from "./layout.tsx";
import { Field } from "./signed_out.tsx";

/** `/reset/<token>`: the new-password form of a reset link. */
export function ResetPage(props: { token: string; username: string; error?: string }) {
  return (
    <Layout title="Choose a new password" user={null}>
      <main id="main" class="lobby">
        <h1>Choose a new password</h1>
        <div class="cards">
          <form class="card" method="post" action={`/reset/${props.token}`}>
            <p>For @{props.username}. Every device signed in as you will be signed out.</p>
            <Field label="New password" name="new_password" type="password" auto="new-password" />
            <FormError message={props.error} />
            <button type="submit">Set password</button>
          </form>
        </div>
      </main>
    </Layout>
  );
}

/**
 * `/forgot`: ask for a reset link by email. The answer is the same whether or not an account
 * has the address (`sent`), so the page never tells who is here.
 */
export function ForgotPage(props: { email?: string; error?: string; sent?: boolean }) {
  return (
    <Layout title="Forgot password" user={null}>
      <main id="main" class="lobby">
        <h1>Forgot your password?</h1>
        <div class="cards">
          <form class="card" method="post" action="/forgot">
            <p>Give the email address on your account; a link to set a new password comes there.</p>
            <Field label="Email" name="email" type="email" value={props.email} auto="email" />
            <FormError message={props.error} />
            {props.sent && (
              <p role="status">
                If an account has that address, a link is on its way; it works once, for 24 hours.
              </p>
            )}
            <button type="submit">Send the link</button>
          </form>
        </div>
        <p>
          <a href="/">Back to the lobby</a>
        </p>
      </main>
    </Layout>
  );
}
