import type { BotRow } from "../db/bots.ts";
import type { DeliveryRow } from "../db/webhook_deliveries.ts";
import type { HookRow } from "../db/webhooks.ts";
import { ActionButton } from "./admin_layout.tsx";
import { Time } from "./message.tsx";

/** Incoming webhooks: make one for a room and a bot (its URL shown once), list, revoke. */
export function IncomingHooks(props: { hooks: HookRow[]; bots: BotRow[] }) {
  return (
    <section id="hooks">
      <h2>Incoming webhooks</h2>
      <form class="card admin-form" method="post" action="/admin/bots/hooks">
        <label>
          Room (its address name, e.g. general)
          <input name="room" required maxlength={64} />
        </label>
        <label>
          Posts as
          <select name="bot" required>
            {props.bots.map((b) => <option value={b.id}>{b.username}</option>)}
          </select>
        </label>
        <button type="submit" disabled={!props.bots.length}>Make a webhook URL</button>
      </form>
      {props.hooks.length === 0
        ? <p class="empty">No incoming webhooks yet.</p>
        : (
          <table class="admin-table">
            <thead>
              <tr>
                <th>Room</th>
                <th>Posts as</th>
                <th>Created</th>
                <th>State</th>
              </tr>
            </thead>
            <tbody>
              {props.hooks.map((h) => (
                <tr id={`h-${h.id}`}>
                  <td>#{h.room_slug}</td>
                  <td>{h.bot_name}</td>
                  <td>
                    <Time at={h.created_at} />
                  </td>
                  <td>
                    {h.revoked_at ? "revoked" : (
                      <ActionButton
                        action={`/admin/bots/hooks/${h.id}/revoke`}
                        label="Revoke"
                        danger
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
    </section>
  );
}

/** Recent outgoing webhook deliveries: whether each reached the bot, and the last error. */
export function Deliveries(props: { deliveries: DeliveryRow[] }) {
  return (
    <section id="deliveries">
      <h2>Recent outgoing deliveries</h2>
      {props.deliveries.length === 0
        ? <p class="empty">No mentions of bots delivered yet.</p>
        : (
          <table class="admin-table">
            <thead>
              <tr>
                <th>Bot</th>
                <th>Room</th>
                <th>Message</th>
                <th>Status</th>
                <th>Attempts</th>
                <th>Last error</th>
                <th>Updated</th>
              </tr>
            </thead>
            <tbody>
              {props.deliveries.map((d) => (
                <tr id={`d-${d.message_id}-${d.bot_name}`} data-status={d.status}>
                  <td>{d.bot_name}</td>
                  <td>#{d.room_slug}</td>
                  <td>
                    <a href={`/rooms/${d.room_slug}/messages/${d.message_id}`}>{d.message_id}</a>
                  </td>
                  <td>{d.status}</td>
                  <td>{d.attempts}</td>
                  <td>{d.last_error ?? ""}</td>
                  <td>
                    <Time at={d.updated_at} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
    </section>
  );
}
