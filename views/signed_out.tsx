// The signed-out lobby: log in, sign up (as the registration mode allows), join as a guest.
import { clip, PERSON_NAME } from "../db/text.ts";
import { FormError, Layout } from "./layout.tsx";

/** Which lobby form failed, what the person typed, and why. */
export interface LobbyForm {
  form: "signup" | "login" | "guest";
  username?: string;
  email?: string;
  error: string;
}

/** Who may use the sign-up form here: anyone, or nobody without an invitation link. */
export type SignupShown = "open" | "invitation" | "closed";

/** A labelled input; every lobby, join and reset form uses it. */
export function Field(
  props: {
    label: string;
    name: string;
    type?: string;
    value?: string;
    auto?: string;
    optional?: boolean;
  },
) {
  return (
    <label>
      {props.label}
      <input
        name={props.name}
        type={props.type ?? "text"}
        value={props.value && clip(props.value, props.type === "email" ? 254 : PERSON_NAME.max)}
        autocomplete={props.auto}
        required={!props.optional}
      />
    </label>
  );
}

/** Username, password and (for a new account) an optional email; the lobby and /join share it. */
export function AccountFields(props: { signup: boolean; username?: string; email?: string }) {
  return (
    <>
      <Field label="Username" name="username" value={props.username} auto="username" />
      <Field
        label="Password"
        name="password"
        type="password"
        auto={props.signup ? "new-password" : "current-password"}
      />
      {props.signup && (
        <Field
          label="Email (optional, for password resets)"
          name="email"
          type="email"
          value={props.email}
          auto="email"
          optional
        />
      )}
    </>
  );
}

function AuthForm(props: { kind: "signup" | "login"; failed?: LobbyForm; forgot?: boolean }) {
  const mine = props.failed?.form === props.kind ? props.failed : undefined;
  const signup = props.kind === "signup";
  return (
    <form class="card" method="post" action={`/${props.kind}`}>
      <h2>{signup ? "Create an account" : "Log in"}</h2>
      <AccountFields signup={signup} username={mine?.username} email={mine?.email} />
      <FormError message={mine?.error} />
      <button type="submit">{signup ? "Sign up" : "Log in"}</button>
      {props.forgot && <a href="/forgot">Forgot password?</a>}
    </form>
  );
}

/** Where the sign-up form would be when the registration mode hides it. */
function NoSignup(props: { signup: SignupShown; failed?: LobbyForm }) {
  const mine = props.failed?.form === "signup" ? props.failed : undefined;
  return (
    <section class="card">
      <h2>Create an account</h2>
      <p>
        {props.signup === "closed"
          ? "Sign-up is closed here: ask an admin for an account."
          : "Sign-up is by invitation here: open the invitation link an admin gave you."}
      </p>
      <FormError message={mine?.error} />
    </section>
  );
}

/** What the signed-out lobby offers, from the settings and the configuration. */
export interface LobbyOffer {
  guests: boolean;
  signup: SignupShown;
  /** Whether "Forgot password?" is offered (mail is configured). */
  forgot: boolean;
}

/**
 * The signed-out lobby: sign up, log in, or join as a guest. With guests turned off (admin
 * settings) the guest form gives way to a line saying so, and so does the sign-up form when
 * the registration mode allows no sign-up without an invitation.
 */
export function SignedOutLobby(props: { failed?: LobbyForm; offer: LobbyOffer }) {
  const guest = props.failed?.form === "guest" ? props.failed : undefined;
  const { offer } = props;
  return (
    <Layout title="Welcome" user={null}>
      <main id="main" class="lobby">
        <section class="hero">
          <h1>Team chat that stays out of your way</h1>
          <p>Rooms, direct messages and live presence, in any browser.</p>
        </section>
        <div class="cards">
          {offer.guests
            ? (
              <form class="card" method="post" action="/guest">
                <h2>Join the chat</h2>
                <Field
                  label="Nickname (blank for a random one)"
                  name="nickname"
                  value={guest?.username}
                  optional
                />
                <FormError message={guest?.error} />
                <button type="submit">Join as guest</button>
              </form>
            )
            : (
              <section class="card">
                <h2>Join the chat</h2>
                <p>Guest access is turned off here: log in, or create an account.</p>
                <FormError message={guest?.error} />
              </section>
            )}
          <AuthForm kind="login" failed={props.failed} forgot={offer.forgot} />
          {offer.signup === "open"
            ? <AuthForm kind="signup" failed={props.failed} />
            : <NoSignup signup={offer.signup} failed={props.failed} />}
        </div>
      </main>
    </Layout>
  );
}
