// Reset links by email (issue 21): the mail arrives through a real SMTP socket with a working
// link; an unknown address gets the same answer and no mail; requests are throttled.
import assert from "node:assert/strict";
import { readConfig } from "../../config.ts";
import { sendMail } from "../../mail/smtp.ts";
import { requester, sessionCookie, testApp } from "../fixtures/app.ts";
import { smtpServer } from "../fixtures/smtp_server.ts";
import { STORES } from "../fixtures/store.ts";
import { waitUntil } from "../fixtures/wait.ts";

const options = { sanitizeOps: false, sanitizeResources: false };

function mailEnv(port: number) {
  return {
    SMTP_HOST: "127.0.0.1",
    SMTP_PORT: String(port),
    SMTP_FROM: "chat@example.test",
    SMTP_TLS: "off",
    ORIGIN: "http://localhost",
  };
}

for (const kind of STORES) {
  Deno.test(
    `[${kind}] a reset link asked for by email arrives, works, and an unknown address gets the same answer`,
    options,
    async () => {
      await using smtp = smtpServer();
      await using t = await testApp(mailEnv(smtp.port), kind);
      const request = requester(t.app);
      assert.match(await (await request("/")).text(), /href="\/forgot"/);
      const ana = { username: "ana", password: "correct horse", email: "Ana@Example.test" };
      assert.equal((await request("/signup", ana)).status, 303);

      const unknown = await request("/forgot", { email: "nobody@example.test" });
      const known = await request("/forgot", { email: "ana@example.test" });
      assert.equal(unknown.status, 200);
      assert.equal(known.status, 200);
      const answer = (html: string) => html.replace(/value="[^"]*"/, "");
      assert.equal(answer(await unknown.text()), answer(await known.text()));

      await waitUntil(() => smtp.received.length > 0, "the reset mail");
      const mail = smtp.received[0];
      assert.deepEqual(mail.to, ["<Ana@Example.test>"]);
      assert.match(mail.data, /Subject: Reset your Hyperchat password/);
      const link = /http:\/\/localhost(\/reset\/\S+)/.exec(mail.data)![1];
      assert.equal((await request(link)).status, 200);
      const done = await request(link, { new_password: "battery staple" });
      assert.equal(done.status, 303);
      sessionCookie(done);
      assert.equal((await request(link, { new_password: "another one!" })).status, 410);
      const login = await request("/login", { username: "ana", password: "battery staple" });
      assert.equal(login.status, 303);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(smtp.received.length, 1, "nothing was mailed to the unknown address");
    },
  );
}

Deno.test("reset requests are throttled per address asked for, known or not", options, async () => {
  await using smtp = smtpServer();
  await using t = await testApp(mailEnv(smtp.port));
  const request = requester(t.app);
  for (let i = 0; i < 3; i++) {
    assert.equal((await request("/forgot", { email: "who@example.test" })).status, 200);
  }
  const refused = await request("/forgot", { email: "who@example.test" });
  assert.equal(refused.status, 429);
  assert.match(await refused.text(), /Too many reset requests/);
});

Deno.test("without SMTP there is no forgot-password link, and /forgot says to ask an admin", async () => {
  await using t = await testApp();
  const request = requester(t.app);
  assert.doesNotMatch(await (await request("/")).text(), /\/forgot/);
  const page = await request("/forgot");
  assert.equal(page.status, 404);
  assert.match(await page.text(), /ask an admin/);
});

Deno.test(
  "the SMTP client authenticates and sends lines starting with a dot intact",
  options,
  async () => {
    await using smtp = smtpServer();
    const config = readConfig({
      ...mailEnv(smtp.port),
      SMTP_USER: "relay",
      SMTP_PASSWORD: "s3cret",
    }).smtp!;
    await sendMail(config, { to: "bo@example.test", subject: "Hi", text: "one\n.two\n." });
    assert.equal(smtp.received.length, 1);
    assert.equal(smtp.received[0].auth, "\0relay\0s3cret");
    assert.equal(smtp.received[0].from, "<chat@example.test>");
    assert.match(smtp.received[0].data, /\r\n\r\none\r\n\.two\r\n\.$/);
  },
);

Deno.test("SMTP settings are validated at start", () => {
  const env = { SMTP_HOST: "mail.example.test", SMTP_FROM: "chat@example.test" };
  assert.throws(() => readConfig(env), /SMTP_HOST needs ORIGIN/);
  const origin = { ORIGIN: "https://chat.example.test" };
  assert.throws(() => readConfig({ ...env, ...origin, SMTP_FROM: "nope" }), /SMTP_FROM must be/);
  assert.throws(() => readConfig({ ...env, ...origin, SMTP_TLS: "maybe" }), /SMTP_TLS must be/);
  assert.throws(() => readConfig({ ...env, ...origin, SMTP_USER: "u" }), /set together/);
  assert.equal(readConfig({ ...env, ...origin }).smtp?.tls, "starttls", "no plain text by default");
  assert.equal(readConfig({}).smtp, null);
  assert.throws(() => readConfig({ REGISTRATION: "sometimes" }), /REGISTRATION must be/);
  assert.equal(readConfig({}).registration, "invitation");
});
