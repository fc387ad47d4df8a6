import { type Kysely } from "kysely";
import { accountsForEmail, createReset, RESET_HOURS } from "../db/password_resets.ts";
import type { Database } from "../db/schema.ts";
import { sendMail } from "./smtp.ts";
import type { SmtpConfig } from "./smtp_config.ts";

/** The reset mail for one account. */
function resetMail(to: string, input: { username: string; link: string }) {
  const text = [
    `Someone (we hope you) asked to reset the password of @${input.username}.`,
    "",
    `Open this link to choose a new one; it works once, for ${RESET_HOURS} hours:`,
    input.link,
    "",
    "If it was not you, ignore this mail: your password stays as it is.",
  ].join("\n");
  return { to, subject: "Reset your Hyperchat password", text };
}

/**
 * Makes a reset link for each active account with this address and mails it; nothing for an
 * unknown address. Runs after the answer has gone, so its timing tells nothing either.
 */
export async function mailResets(
  db: Kysely<Database>,
  input: { smtp: SmtpConfig; email: string; origin: string },
): Promise<number> {
  let sent = 0;
  for (const user of await accountsForEmail(db, input.email)) {
    const token = await createReset(db, { user, actor: null });
    if (!token || !user.email) continue;
    const link = `${input.origin}/reset/${token}`;
    await sendMail(input.smtp, resetMail(user.email, { username: user.username, link }));
    sent++;
  }
  return sent;
}
