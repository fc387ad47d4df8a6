import type { MessageView } from "../db/messages.ts";
import type { RevisionWithEditor } from "../db/revisions.ts";
import type { User } from "../db/schema.ts";
import { MessageFormPage } from "./message_form_page.tsx";
import { Time } from "./message.tsx";

/** An admin's view of a message's earlier bodies, oldest first, each as plain text. */
export function RevisionsPage(
  props: { user: User; message: MessageView; revisions: RevisionWithEditor[] },
) {
  return (
    <MessageFormPage user={props.user} message={props.message} title="Earlier versions">
      {props.revisions.length
        ? (
          <ol class="revisions">
            {props.revisions.map((r) => (
              <li>
                <p class="meta">
                  Replaced <Time at={r.edited_at} /> by {r.editor_name ?? "a removed account"}
                </p>
                <pre class="body">{r.body}</pre>
              </li>
            ))}
          </ol>
        )
        : <p>This message has never been edited.</p>}
    </MessageFormPage>
  );
}
