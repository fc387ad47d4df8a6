import type { AuditEntry, User } from "../db/schema.ts";
import type { InstanceSettings } from "../db/settings.ts";
import { AdminPage } from "./admin_layout.tsx";
import { Time } from "./message.tsx";

function SettingsForm(props: { settings: InstanceSettings }) {
  const creators = [
    ["everyone", "Everyone signed in"],
    ["members", "Members and admins (no guests)"],
    ["admins", "Admins only"],
  ];
  const modes = [
    ["open", "Anyone (open sign-up)"],
    ["invitation", "Only people with an invitation link"],
    ["closed", "Nobody (closed, invitations included)"],
  ];
  return (
    <form class="card admin-form" method="post" action="/admin/settings">
      <h2>Instance settings</h2>
      <label class="check">
        <input
          type="checkbox"
          name="guests_enabled"
          value="on"
          checked={props.settings.guestsEnabled}
        />
        Allow guests (people without an account)
      </label>
      <label>
        Who may sign up
        <select name="registration">
          {modes.map(([value, label]) => (
            <option value={value} selected={props.settings.registration === value}>{label}</option>
          ))}
        </select>
      </label>
      <label>
        Who may create rooms
        <select name="room_creators">
          {creators.map(([value, label]) => (
            <option value={value} selected={props.settings.roomCreators === value}>{label}</option>
          ))}
        </select>
      </label>
      <button type="submit">Save settings</button>
    </form>
  );
}

/** The audit log, newest first. */
export function AuditList(props: { entries: AuditEntry[] }) {
  if (!props.entries.length) return <p class="empty">No admin actions yet.</p>;
  return (
    <table class="admin-table audit">
      <thead>
        <tr>
          <th>When</th>
          <th>Who</th>
          <th>What</th>
          <th>Target</th>
          <th>Detail</th>
        </tr>
      </thead>
      <tbody>
        {props.entries.map((e) => (
          <tr>
            <td>
              <Time at={e.created_at} />
            </td>
            <td>@{e.actor_name}</td>
            <td>{e.action}</td>
            <td>{e.target}</td>
            <td>{e.detail ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** `/admin`: instance settings and the audit log. */
export function AdminOverview(
  props: { user: User; settings: InstanceSettings; audit: AuditEntry[]; error?: string | null },
) {
  return (
    <AdminPage user={props.user} section="overview" title="Settings and log" error={props.error}>
      <SettingsForm settings={props.settings} />
      <h2>Audit log</h2>
      <AuditList entries={props.audit} />
    </AdminPage>
  );
}
