import type { Child } from "hono/jsx";
import type { MessageView } from "../db/messages.ts";
import type { User } from "../db/schema.ts";
import { Layout } from "./layout.tsx";
import { Message } from "./message.tsx";

/** A page around one message and a form for it (editing, reacting) for browsers without JS. */
export function MessageFormPage(
  props: { user: User; message: MessageView; title: string; children: Child },
) {
  const m = props.message;
  return (
    <Layout title={props.title} user={props.user}>
      <main id="main" class="message-form-page">
        <h1>{props.title}</h1>
        <Message message={m} />
        {props.children}
        <p>
          <a href={`/rooms/${m.room_slug}#m-${m.id}`}>Back to #{m.room_slug}</a>
        </p>
      </main>
    </Layout>
  );
}
