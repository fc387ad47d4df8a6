import type { TokenRow } from "../db/api_tokens.ts";
import { MAX_TOKEN_NAME } from "../db/api_tokens.ts";
import type { User } from "../db/schema.ts";
import { ActionButton } from "./admin_layout.tsx";
import { FormError, Layout } from "./layout.tsx";
import { Time } from "./message.tsx";

/** A token's list: name, made, last used, and a revoke button while it works. */
export function TokenTable(props: { tokens: TokenRow[]; revokeBase: string }) {
  if (!props.tokens.length) return <p class="empty">No tokens yet.</p>;
  return (
    <table class="admin-table">
      <thead>
        <tr>
          <th>Name</th>
          <th>Created</th>
          <th>Last used</th>
          <th>State</th>
        </tr>
      </thead>
      <tbody>
        {props.tokens.map((t) => (
          <tr id={`t-${t.id}`}>
            <td>{t.name}</td>
            <td>
              <Time at={t.created_at} />
            </td>
            <td>{t.last_used_at ? <Time at={t.last_used_at} /> : "never"}</td>
            <td>
              {t.revoked_at ? "revoked" : (
                <ActionButton
                  action={`${props.revokeBase}/${t.id}/revoke`}
                  label="Revoke"
                  danger
                />
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The account page's API token card: make one (shown once), see and revoke the others. */
export function ApiTokensCard(props: { tokens: TokenRow[]; error?: string }) {
  return (
    <section class="card" id="api-tokens">
      <h2>API tokens</h2>
      <p>
        A token lets a script post and read as you (<code>Authorization: Bearer …</code>), in the
        rooms you can read. Revoke one the moment it may have leaked.
      </p>
      <TokenTable tokens={props.tokens} revokeBase="/account/tokens" />
      <form method="post" action="/account/tokens">
        <label>
          Name (what will use it)
          <input name="name" required maxlength={MAX_TOKEN_NAME} />
        </label>
        <button type="submit">Make a token</button>
      </form>
    </section>
  );
}

/** A token just made, shown this once (only its hash is kept). */
export function TokenShownOnce(props: { token: string; what: string }) {
  return (
    <section class="card admin-form" aria-live="polite">
      <label>
        {props.what} (copy it now: it is not shown again)
        <input type="text" readonly value={props.token} autofocus />
      </label>
    </section>
  );
}

/** The answer to making a personal token: the token once, and the way back. */
export function TokenMadePage(props: { user: User; token?: string; error?: string }) {
  return (
    <Layout title="API token" user={props.user}>
      <main id="main" class="lobby">
        <h1>API token</h1>
        {props.token && <TokenShownOnce token={props.token} what="Your new token" />}
        <FormError message={props.error} />
        <p>
          <a href="/account#api-tokens">Back to your account</a>
        </p>
      </main>
    </Layout>
  );
}
