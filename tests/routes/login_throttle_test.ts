// Findings 5 and 6 of issue 15: failed logins slow the next attempt per address and name (and
// an address spraying names), never refuse the right password; the client address comes from
// a trusted proxy only; an unknown name costs as much time as a wrong password.
import assert from "node:assert/strict";
import { readConfig } from "../../config.ts";
import { loginDelay, recordFailure } from "../../db/throttle.ts";
import { clientAddress } from "../../routes/client_address.ts";
import { LoginGate, MAX_WAITING } from "../../routes/login_gate.ts";
import { formInit, testApp } from "../fixtures/app.ts";
import { resetData, STORES } from "../fixtures/store.ts";

const DELAYS = { LOGIN_DELAY_MS: "20", LOGIN_DELAY_MAX_MS: "160" };
const ANA = { username: "ana", password: "correct horse" };

type App = Awaited<ReturnType<typeof testApp>>;

/** A form post from a given peer address (what Deno.serve passes the app). */
async function postFrom(
  t: App,
  address: string,
  path: string,
  fields: Record<string, string>,
): Promise<Response> {
  return await t.app.request(`http://localhost${path}`, formInit(fields), { remoteAddr: address });
}

async function timed(work: () => Promise<Response>) {
  const started = performance.now();
  const res = await work();
  await res.body?.cancel();
  return { status: res.status, ms: performance.now() - started };
}

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

for (const kind of STORES) {
  Deno.test(`[${kind}] login throttling slows attackers and never locks out the owner`, async (t) => {
    await using app = await testApp(DELAYS, kind);
    await t.step(
      "after many failures with other names, the right password from that address still signs in",
      async () => {
        await resetData(app.deps.db);
        await postFrom(app, "198.51.100.1", "/signup", ANA);
        for (let i = 0; i < 20; i++) {
          const res = await postFrom(app, "10.0.0.1", "/login", {
            username: `n${i}`,
            password: "x y z w v",
          });
          assert.equal(res.status, 401);
          await res.body?.cancel();
        }
        const right = await timed(() => postFrom(app, "10.0.0.1", "/login", ANA));
        assert.equal(right.status, 303, "the right password signs in, not 429");
        // 20 failures from the address: two steps, 20 then 40 ms.
        assert.ok(right.ms >= 35, `the spraying address is slowed (${right.ms.toFixed(0)} ms)`);
      },
    );

    await t.step(
      "wrong guesses for an account from one address do not lock out its owner elsewhere",
      async () => {
        await resetData(app.deps.db);
        await postFrom(app, "198.51.100.1", "/signup", ANA);
        for (let i = 0; i < 8; i++) {
          const res = await postFrom(app, "10.0.0.2", "/login", {
            ...ANA,
            password: "wrong wrong",
          });
          assert.equal(res.status, 401);
          await res.body?.cancel();
        }
        const owner = await timed(() => postFrom(app, "192.0.2.50", "/login", ANA));
        assert.equal(owner.status, 303);
        assert.ok(owner.ms < 1000, `the owner elsewhere is not held (${owner.ms.toFixed(0)} ms)`);
        const there = await timed(() => postFrom(app, "10.0.0.2", "/login", ANA));
        assert.equal(
          there.status,
          303,
          "even from the guessing address the right password works",
        );
        assert.ok(there.ms >= 150, `but after the capped delay (${there.ms.toFixed(0)} ms)`);
      },
    );

    await t.step(
      "the delay for one name from one address grows with each failure, up to the cap",
      async () => {
        await resetData(app.deps.db);
        const keys = { account: "ana", address: "10.0.0.3" };
        const delays = [];
        for (let i = 0; i < 6; i++) {
          delays.push(await loginDelay(app.deps.db, keys, app.deps.config.login));
          await recordFailure(app.deps.db, keys);
        }
        assert.deepEqual(delays, [0, 20, 40, 80, 160, 160]);
        const elsewhere = await loginDelay(
          app.deps.db,
          { ...keys, address: "10.0.0.4" },
          app.deps.config.login,
        );
        assert.equal(elsewhere, 0);
      },
    );
  });

  Deno.test(`[${kind}] an unknown name takes about as long to refuse as a wrong password`, async () => {
    await using app = await testApp({ LOGIN_DELAY_MS: "0", LOGIN_DELAY_MAX_MS: "0" }, kind);
    await postFrom(app, "198.51.100.1", "/signup", ANA);
    const unknown: number[] = [], wrong: number[] = [];
    for (let i = 0; i < 5; i++) {
      const a = await timed(() =>
        postFrom(app, "10.0.0.5", "/login", { ...ANA, username: `nobody${i}` })
      );
      const b = await timed(() =>
        postFrom(app, "10.0.0.6", "/login", { ...ANA, password: "wrong wrong" })
      );
      assert.deepEqual([a.status, b.status], [401, 401]);
      unknown.push(a.ms), wrong.push(b.ms);
    }
    const ratio = median(unknown) / median(wrong);
    assert.ok(
      ratio >= 0.5,
      `unknown ${median(unknown).toFixed(0)} ms, wrong ${median(wrong).toFixed(0)} ms`,
    );
  });

  Deno.test(`[${kind}] X-Forwarded-For names the client only when a trusted proxy sent it`, async () => {
    await using app = await testApp({ ...DELAYS, TRUSTED_PROXIES: "10.0.0.0/8, fd00::/8" }, kind);
    const wrong = { ...ANA, password: "wrong wrong" };
    const from = async (peer: string, xff: string) =>
      await app.app.request(
        "http://localhost/login",
        formInit(wrong, { "x-forwarded-for": xff }),
        {
          remoteAddr: peer,
        },
      );
    await (await from("10.1.2.3", "203.0.113.7")).body?.cancel();
    await (await from("192.0.2.9", "203.0.113.8")).body?.cancel();
    const keys = (await app.deps.db.selectFrom("login_failures").select("key").execute())
      .map((r) => r.key).filter((k) => k.startsWith("ip:")).sort();
    assert.deepEqual(keys, ["ip:192.0.2.9", "ip:203.0.113.7"]);
  });
}

Deno.test("the client address is the rightmost entry no trusted proxy wrote", () => {
  const { trustedProxies } = readConfig({ TRUSTED_PROXIES: "10.0.0.0/8,127.0.0.1,fd00::/8" });
  const cases: [string | undefined, string | null, string][] = [
    ["192.0.2.1", "203.0.113.7", "192.0.2.1"], // an untrusted peer's header means nothing
    ["10.0.0.1", "203.0.113.7", "203.0.113.7"],
    ["10.0.0.1", "1.1.1.1, 203.0.113.7, 10.0.0.9", "203.0.113.7"], // the left is the client's to write
    ["127.0.0.1", "10.0.0.2, 10.0.0.3", "10.0.0.2"], // every hop trusted: the first
    ["10.0.0.1", "garbage, 10.0.0.9", "10.0.0.9"], // a malformed hop stops at the last good one
    ["10.0.0.1", null, "10.0.0.1"],
    ["::ffff:10.0.0.1", "[2001:db8::1]:443", "2001:db8:0:0:0:0:0:1"],
    ["fd00::1", "198.51.100.4:5000", "198.51.100.4"],
    [undefined, "203.0.113.7", "unknown"],
  ];
  for (const [peer, xff, want] of cases) {
    assert.equal(clientAddress(peer, xff, trustedProxies), want, `${peer} / ${xff}`);
  }
  assert.throws(() => readConfig({ TRUSTED_PROXIES: "10.0.0.0/33" }), /TRUSTED_PROXIES must list/);
});

Deno.test("parallel attempts on one key wait one delay apart, and a flood from one address is refused", async () => {
  const gate = new LoginGate();
  const keys = { pair: "p:a|ana", address: "ip:a" };
  const started = performance.now();
  await Promise.all([1, 2, 3].map(() => gate.wait(keys, 30)));
  assert.ok(performance.now() - started >= 85, "three attempts: 30, 60 and 90 ms");
  const flood = Array.from({ length: MAX_WAITING + 1 }, () => gate.wait(keys, 5));
  const passed = await Promise.all(flood);
  assert.equal(passed.filter((ok) => !ok).length, 1);
  assert.equal(await gate.wait({ pair: "p:b|ana", address: "ip:b" }, 5), true);
});
