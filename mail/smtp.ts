// A small SMTP client over Deno.connect: EHLO, optional STARTTLS (or TLS from the start),
// AUTH PLAIN, MAIL FROM, RCPT TO, DATA, QUIT. Enough to hand one message to a relay.
import type { SmtpConfig } from "./smtp_config.ts";

/** One message: plain text, one recipient. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
}

const TIMEOUT_MS = 15_000;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Reads SMTP replies (possibly several lines: `250-…` then `250 …`) off a connection. */
class Replies {
  #buffer = "";
  constructor(private conn: Deno.Conn) {}

  async #line(): Promise<string> {
    const chunk = new Uint8Array(4096);
    while (!this.#buffer.includes("\r\n")) {
      const n = await this.conn.read(chunk);
      if (n === null) throw new Error("The mail server closed the connection");
      this.#buffer += decoder.decode(chunk.subarray(0, n));
    }
    const end = this.#buffer.indexOf("\r\n");
    const line = this.#buffer.slice(0, end);
    this.#buffer = this.#buffer.slice(end + 2);
    return line;
  }

  /** The next whole reply; throws unless its code is one of `want`. */
  async expect(...want: number[]): Promise<string[]> {
    const lines = [await this.#line()];
    while (lines.at(-1)![3] === "-") lines.push(await this.#line());
    const code = Number(lines.at(-1)!.slice(0, 3));
    if (!want.includes(code)) throw new Error(`The mail server answered: ${lines.at(-1)}`);
    return lines;
  }
}

/** The DATA section: headers, a blank line, the body with CRLF endings and dots stuffed. */
function message(config: SmtpConfig, mail: Mail): string {
  const domain = config.from.split("@")[1];
  const headers = [
    `From: ${config.from}`,
    `To: ${mail.to}`,
    `Subject: ${mail.subject}`,
    `Date: ${new Date().toUTCString().replace("GMT", "+0000")}`,
    `Message-ID: <${crypto.randomUUID()}@${domain}>`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
  ];
  const body = mail.text.split(/\r?\n/).map((l) => l.startsWith(".") ? `.${l}` : l);
  return `${[...headers, "", ...body].join("\r\n")}\r\n.\r\n`;
}

/** Hands one message to the configured server; throws with the server's answer on refusal. */
export async function sendMail(config: SmtpConfig, mail: Mail): Promise<void> {
  if (/[\r\n]/.test(mail.to + mail.subject)) throw new Error("A mail header holds a line break");
  const at = { hostname: config.host, port: config.port };
  let conn: Deno.Conn = config.tls === "tls" ? await Deno.connectTls(at) : await Deno.connect(at);
  const timer = setTimeout(() => conn.close(), TIMEOUT_MS);
  try {
    let replies = new Replies(conn);
    const say = async (line: string, ...want: number[]) => {
      await conn.write(encoder.encode(`${line}\r\n`));
      return await replies.expect(...want);
    };
    await replies.expect(220);
    await say(`EHLO ${config.from.split("@")[1]}`, 250);
    if (config.tls === "starttls") {
      await say("STARTTLS", 220);
      conn = await Deno.startTls(conn as Deno.TcpConn, { hostname: config.host });
      replies = new Replies(conn);
      await say(`EHLO ${config.from.split("@")[1]}`, 250);
    }
    if (config.auth) {
      const plain = btoa(`\0${config.auth.user}\0${config.auth.password}`);
      await say(`AUTH PLAIN ${plain}`, 235);
    }
    await say(`MAIL FROM:<${config.from}>`, 250);
    await say(`RCPT TO:<${mail.to}>`, 250, 251);
    await say("DATA", 354);
    await conn.write(encoder.encode(message(config, mail)));
    await replies.expect(250);
    await say("QUIT", 221).catch(() => {});
  } finally {
    clearTimeout(timer);
    try {
      conn.close();
    } catch { /* closed by the timeout or the server */ }
  }
}
