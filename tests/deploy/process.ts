// The app as a process of its own, started the way a platform starts it: spawned with only the
// environment given, polled until healthy, stopped with a signal; disposing kills what is left.

/** The repository root: the start and pre-deploy commands run from there. */
export const ROOT = new URL("../../", import.meta.url);

/** deno.json, as the platforms read it. */
export async function denoConfig() {
  return JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
}

/** Only what Deno itself needs from the environment: no DATABASE_URL leaks in. */
function baseEnv(): Record<string, string> {
  const keep = ["PATH", "HOME", "DENO_DIR", "XDG_CACHE_HOME", "TMPDIR"];
  return Object.fromEntries(keep.flatMap((k) => Deno.env.get(k) ? [[k, Deno.env.get(k)!]] : []));
}

/** `deno <args>` in the repository with `env`; disposing kills it if it is still running. */
export function denoProcess(args: string[], env: Record<string, string>) {
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    clearEnv: true,
    env: { ...baseEnv(), ...env },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = child.output();
  let exited = false;
  output.finally(() => exited = true).catch(() => {});
  return {
    child,
    output,
    exited: () => exited,
    async [Symbol.asyncDispose]() {
      if (!exited) child.kill("SIGKILL");
      await output;
    },
  };
}

/** A running `deno` process (see denoProcess). */
export type DenoProcess = ReturnType<typeof denoProcess>;

/**
 * Polls /healthz until it answers ok. A fresh embedded data folder is made by initdb inside
 * WebAssembly: seconds on an idle machine, close to a minute on a busy one.
 */
export async function healthy(base: string, proc: DenoProcess) {
  for (const deadline = Date.now() + 120_000; Date.now() < deadline && !proc.exited();) {
    const res = await fetch(`${base}/healthz`).catch(() => null);
    if (res?.ok) return await res.json();
    await res?.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const { stderr } = await Promise.race([proc.output, Promise.resolve({ stderr: null })]);
  const said = stderr ? new TextDecoder().decode(stderr) : "(still running)";
  throw new Error(`the app never became healthy: ${said}`);
}

/** Sends SIGINT, as Deno Deploy does before it kills; returns how long exiting took, and the code. */
export async function interrupt(proc: DenoProcess) {
  const sent = Date.now();
  proc.child.kill("SIGINT");
  const { code } = await proc.output;
  return { ms: Date.now() - sent, code };
}
