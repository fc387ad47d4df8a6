import type { RoomSummary } from "../db/rooms.ts";
import type { User } from "../db/schema.ts";
import { clip, PERSON_NAME } from "../db/text.ts";
import { FormError, Layout } from "./layout.tsx";
import { OnlineCount } from "./online_list.tsx";
import { NewRoomForm, UnreadBadge } from "./room_list.tsx";

/** Which lobby form failed, what the person typed, and why. */
export interface LobbyForm {
  form: "signup" | "login" | "guest";
  username?: string;
  error: string;
}

function Field(
  props: { label: string; name: string; type?: string; value?: string; auto?: string },
) {
  return (
    <label>
      {props.label}
      <input
        name={props.name}
        type={props.type ?? "text"}
        value={props.value && clip(props.value, PERSON_NAME.max)}
        autocomplete={props.auto}
        required={props.name !== "nickname"}
      />
    </label>
  );
}

function AuthForm(props: { kind: "signup" | "login"; failed?: LobbyForm }) {
  const mine = props.failed?.form === props.kind ? props.failed : undefined;
  const signup = props.kind === "signup";
  return (
    <form class="card" method="post" action={`/${props.kind}`}>
      <h2>{signup ? "Create an account" : "Log in"}</h2>
      <Field label="Username" name="username" value={mine?.username} auto="username" />
      <Field
        label="Password"
        name="password"
        type="password"
        auto={signup ? "new-password" : "current-password"}
      />
      <FormError message={mine?.error} />
      <button type="submit">{signup ? "Sign up" : "Log in"}</button>
    </form>
  );
}

/**
 * The signed-out lobby: sign up, log in, or join as a guest. With guests turned off (admin
 * settings) the guest form gives way to a line saying so.
 */
export function SignedOutLobby(props: { failed?: LobbyForm; guests: boolean }) {
  const guest = props.failed?.form === "guest" ? props.failed : undefined;
  return (
    <Layout title="Welcome" user={null}>
      <main id="main" class="lobby">
        <section class="hero">
          <h1>Team chat that stays out of your way</h1>
          <p>Rooms, direct messages and live presence, in any browser.</p>
        </section>
        <div class="cards">
          {props.guests
            ? (
              <form class="card" method="post" action="/guest">
                <h2>Join the chat</h2>
                <Field
                  label="Nickname (blank for a random one)"
                  name="nickname"
                  value={guest?.username}
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
          <AuthForm kind="login" failed={props.failed} />
          <AuthForm kind="signup" failed={props.failed} />
        </div>
      </main>
    </Layout>
  );
}

/** The signed-in lobby: the room index. */
export function RoomIndex(
  props: {
    user: User;
    rooms: RoomSummary[];
    name?: string;
    error?: string | null;
    counts?: Map<string, number>;
  },
) {
  return (
    <Layout title="Rooms" user={props.user} feeds="rooms">
      <main id="main" class="index">
        <h1>Rooms</h1>
        <NewRoomForm name={props.name} error={props.error} />
        {props.rooms.length === 0
          ? <p class="empty">No rooms yet. Name one above to start it.</p>
          : (
            <ul class="rooms">
              {props.rooms.map((r) => (
                <li>
                  <a href={`/rooms/${r.slug}`}>#{r.name}</a>
                  {r.kind === "private" && <span class="tag">private</span>}
                  <span class="count">{r.members} {r.members === 1 ? "member" : "members"}</span>
                  <OnlineCount roomId={r.id} count={props.counts?.get(r.id) ?? 0} />
                  <UnreadBadge roomId={r.id} count={r.unread} />
                </li>
              ))}
            </ul>
          )}
      </main>
    </Layout>
  );
}

/** A room that does not exist: offers to create it (the GET itself never writes). */
export function MissingRoom(props: { user: User; slug: string }) {
  return (
    <Layout title="No such room" user={props.user}>
      <main id="main" class="index">
        <h1>#{props.slug} does not exist yet</h1>
        <form method="post" action="/rooms">
          <input type="hidden" name="name" value={props.slug} />
          <button type="submit">Create #{props.slug}</button>
        </form>
        <p>
          <a href="/">Back to the rooms</a>
        </p>
      </main>
    </Layout>
  );
}
