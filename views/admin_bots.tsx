import type { TokenRow } from "../db/api_tokens.ts";
import type { BotRow } from "../db/bots.ts";
import type { DeliveryRow } from "../db/webhook_deliveries.ts";
import type { HookRow } from "../db/webhooks.ts";
import type { User } from "../db/schema.ts";
import { ActionButton, AdminPage } from "./admin_layout.tsx";
import { Deliveries, IncomingHooks } from "./admin_hooks.tsx";
import { TokenShownOnce, TokenTable } from "./api_tokens.tsx";

/** Everything the bots page shows. */
export interface BotsPageData {
  bots: (BotRow & { tokens: TokenRow[] })[];
  hooks: HookRow[];
  deliveries: DeliveryRow[];
}

/** Secrets made by this very request, each shown once. */
export interface ShownSecrets {
  token?: string;
  signingSecret?: string;
  hookUrl?: string;
}

function CreateBot() {
  return (
    <form class="card admin-form" method="post" action="/admin/bots">
      <h2>New bot</h2>
      <label>
        Name (its username, e.g. deploybot)
        <input name="username" required minlength={2} maxlength={32} />
      </label>
      <label>
        Outgoing webhook URL (optional: its mentions are POSTed there)
        <input name="webhook_url" type="url" maxlength={2000} />
      </label>
      <button type="submit">Create bot</button>
    </form>
  );
}

function Bot(props: { bot: BotsPageData["bots"][number] }) {
  const b = props.bot;
  return (
    <section class="card" id={`b-${b.id}`}>
      <h3>{b.username}{b.deactivated_at ? " (deactivated)" : ""}</h3>
      <form class="admin-form" method="post" action={`/admin/bots/${b.id}/url`}>
        <label>
          Outgoing webhook URL
          <input name="webhook_url" type="url" maxlength={2000} value={b.webhook_url ?? ""} />
        </label>
        <button type="submit">Save URL</button>
      </form>
      <TokenTable tokens={b.tokens} revokeBase={`/admin/bots/${b.id}/tokens`} />
      <ActionButton action={`/admin/bots/${b.id}/tokens`} label="New token" />
    </section>
  );
}

/** `/admin/bots`: bots and their tokens, incoming webhooks, and outgoing deliveries. */
export function AdminBots(
  props: { user: User; data: BotsPageData; shown?: ShownSecrets; error?: string | null },
) {
  const { shown = {}, data } = props;
  return (
    <AdminPage user={props.user} section="bots" title="Bots and webhooks" error={props.error}>
      {shown.token && <TokenShownOnce token={shown.token} what="The bot's token" />}
      {shown.signingSecret && (
        <TokenShownOnce token={shown.signingSecret} what="The bot's webhook signing secret" />
      )}
      {shown.hookUrl && <TokenShownOnce token={shown.hookUrl} what="The webhook URL" />}
      <CreateBot />
      {data.bots.length === 0
        ? <p class="empty">No bots yet.</p>
        : data.bots.map((bot) => <Bot bot={bot} />)}
      <IncomingHooks hooks={data.hooks} bots={data.bots} />
      <Deliveries deliveries={data.deliveries} />
    </AdminPage>
  );
}
