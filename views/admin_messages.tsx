import { type FoundMessage, MAX_QUERY, type MessageQuery } from "../db/admin_messages.ts";
import type { User } from "../db/schema.ts";
import { ActionButton, AdminPage } from "./admin_layout.tsx";
import { Time } from "./message.tsx";

function SearchForm(props: { query: MessageQuery }) {
  return (
    <form class="card admin-form" method="get" action="/admin/messages">
      <label>
        Text
        <input name="q" value={props.query.text} maxlength={MAX_QUERY} />
      </label>
      <label>
        Author (username)
        <input name="author" value={props.query.author} maxlength={MAX_QUERY} />
      </label>
      <button type="submit">Find messages</button>
    </form>
  );
}

function Found(props: { message: FoundMessage; query: MessageQuery }) {
  const m = props.message;
  const fields = { q: props.query.text, author: props.query.author };
  return (
    <li id={`found-${m.id}`}>
      <header>
        <strong>@{m.username}</strong> in{" "}
        <a href={`/rooms/${m.room_slug}/messages/${m.id}`}>#{m.room_name}</a>,{" "}
        <Time at={m.created_at} />
      </header>
      <p class="body">{m.body}</p>
      <ActionButton
        action={`/admin/messages/${m.id}/delete`}
        label="Delete"
        fields={fields}
        danger
      />
    </li>
  );
}

/** `/admin/messages`: find messages by text and/or author, and delete them. */
export function AdminMessages(
  props: { user: User; query: MessageQuery; found: FoundMessage[]; error?: string | null },
) {
  const searched = props.query.text.trim() || props.query.author.trim();
  return (
    <AdminPage user={props.user} section="messages" title="Messages" error={props.error}>
      <SearchForm query={props.query} />
      {searched && !props.found.length && <p class="empty">No messages match.</p>}
      <ul class="found">
        {props.found.map((m) => <Found message={m} query={props.query} />)}
      </ul>
    </AdminPage>
  );
}
