import type { User } from "../db/schema.ts";
import { ShownOnce } from "./admin_invitations.tsx";
import { ActionButton, AdminPage } from "./admin_layout.tsx";

function UserActions(props: { person: User }) {
  const { person } = props;
  const base = `/admin/users/${person.id}`;
  return (
    <>
      {person.role === "member" && (
        <ActionButton action={`${base}/role`} label="Make admin" fields={{ role: "admin" }} />
      )}
      {person.role === "admin" && (
        <ActionButton action={`${base}/role`} label="Make member" fields={{ role: "member" }} />
      )}
      {person.role !== "guest" && !person.bot && !person.deactivated_at && (
        <ActionButton action={`${base}/reset-link`} label="Reset link" />
      )}
      {person.deactivated_at
        ? <ActionButton action={`${base}/reactivate`} label="Reactivate" />
        : <ActionButton action={`${base}/deactivate`} label="Deactivate" danger />}
    </>
  );
}

/** `/admin/users`: every account with its role and state, and what an admin may change. */
export function AdminUsers(
  props: {
    user: User;
    people: User[];
    error?: string | null;
    reset?: { username: string; url: string };
  },
) {
  return (
    <AdminPage user={props.user} section="users" title="People" error={props.error}>
      {props.reset && (
        <ShownOnce
          label={`Password reset link for @${props.reset.username}`}
          url={props.reset.url}
          note="Copy it now and give it to them: it works once, for 24 hours, and is not shown again."
        />
      )}
      <table class="admin-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Role</th>
            <th>State</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          {props.people.map((person) => (
            <tr id={`u-${person.id}`}>
              <td>
                {person.display_name} <small>@{person.username}</small>
              </td>
              <td>{person.bot ? `bot (${person.role})` : person.role}</td>
              <td>{person.deactivated_at ? "deactivated" : "active"}</td>
              <td class="actions">
                <UserActions person={person} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </AdminPage>
  );
}
