import type { Invitation, User } from "../db/schema.ts";
import { INVITATION_LIMITS } from "../db/invitations.ts";
import { ActionButton, AdminPage } from "./admin_layout.tsx";
import { Time } from "./message.tsx";

/** A link shown once (only its hash is kept): select it and copy it to the person. */
export function ShownOnce(props: { label: string; url: string; note: string }) {
  return (
    <section class="card admin-form" aria-live="polite">
      <label>
        {props.label}
        <input type="text" readonly value={props.url} autofocus />
      </label>
      <p>{props.note}</p>
    </section>
  );
}

function CreateForm() {
  return (
    <form class="card admin-form" method="post" action="/admin/invitations">
      <h2>New invitation link</h2>
      <label>
        Expires after (days)
        <input name="days" type="number" min="1" max={INVITATION_LIMITS.maxDays} value="7" />
      </label>
      <label>
        Uses (blank for any number until it expires)
        <input name="max_uses" type="number" min="1" max={INVITATION_LIMITS.maxUses} value="1" />
      </label>
      <label class="check">
        <input type="checkbox" name="guests_only" value="on" />
        Guests only (lets people in as guests even while guests are turned off)
      </label>
      <button type="submit">Create link</button>
    </form>
  );
}

function state(i: Invitation): string {
  if (i.revoked_at) return "revoked";
  if (i.expires_at <= new Date()) return "expired";
  if (i.max_uses !== null && i.uses >= i.max_uses) return "used up";
  return "active";
}

function InvitationRow(props: { invitation: Invitation }) {
  const i = props.invitation;
  return (
    <tr id={`i-${i.id}`}>
      <td>@{i.created_by_name}</td>
      <td>
        <Time at={i.expires_at} />
      </td>
      <td>
        {i.max_uses === null
          ? `no limit (${i.uses} used)`
          : `${i.max_uses - i.uses} of ${i.max_uses}`}
      </td>
      <td>{i.guests_only ? "guests" : "accounts"}</td>
      <td>{state(i)}</td>
      <td class="actions">
        {!i.revoked_at && (
          <ActionButton action={`/admin/invitations/${i.id}/revoke`} label="Revoke" danger />
        )}
      </td>
    </tr>
  );
}

/** `/admin/invitations`: make a link (shown once), see every link's state, revoke one. */
export function AdminInvitations(
  props: { user: User; invitations: Invitation[]; created?: string; error?: string | null },
) {
  return (
    <AdminPage user={props.user} section="invitations" title="Invitations" error={props.error}>
      {props.created && (
        <ShownOnce
          label="The new invitation link"
          url={props.created}
          note="Copy it now and send it to the people you invite: it is not shown again."
        />
      )}
      <CreateForm />
      {props.invitations.length === 0
        ? <p class="empty">No invitation links yet.</p>
        : (
          <table class="admin-table">
            <thead>
              <tr>
                <th>Created by</th>
                <th>Expires</th>
                <th>Uses left</th>
                <th>For</th>
                <th>State</th>
                <th>Actions</th>
              </tr>
            </thead>
            <tbody>
              {props.invitations.map((i) => <InvitationRow invitation={i} />)}
            </tbody>
          </table>
        )}
    </AdminPage>
  );
}
