import { MAX_BODY } from "../db/messages.ts";
import { clip } from "../db/text.ts";
import type { User } from "../db/schema.ts";
import { FormError, Layout } from "./layout.tsx";

/** A conversation with no messages yet: the first post creates it (the GET never writes). */
export function EmptyConversation(
  props: { user: User; with: User; body?: string; error?: string | null },
) {
  const them = props.with;
  return (
    <Layout title={them.display_name} user={props.user}>
      <main id="main" class="index conversation">
        <h1>{them.display_name}</h1>
        <p class="empty">No messages with @{them.username} yet. Say hello below.</p>
        <form id="composer" class="composer" method="post" action={`/dm/${them.username}`}>
          <textarea
            name="body"
            rows={2}
            maxlength={MAX_BODY}
            placeholder={`Message @${them.username}`}
            aria-label="Message"
            autofocus
            required
          >
            {clip(props.body ?? "", MAX_BODY)}
          </textarea>
          <button type="submit">Send</button>
          <FormError id="composer-error" message={props.error} />
        </form>
      </main>
    </Layout>
  );
}

/** Nobody to talk to at this address (unknown person, or yourself). */
export function NoConversation(props: { user: User; reason: string }) {
  return (
    <Layout title="No conversation" user={props.user}>
      <main id="main" class="index">
        <h1>{props.reason}</h1>
        <p>
          <a href="/inbox">Back to the inbox</a>
        </p>
      </main>
    </Layout>
  );
}
