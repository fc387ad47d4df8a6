// Real curl for the API tests: a command run to its end, or a tail read line by line.
import { waitUntil } from "../fixtures/wait.ts";

/** Runs curl with `args`; its exit code and output. */
export async function curl(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const run = await new Deno.Command("curl", { args, stdout: "piped", stderr: "piped" }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: run.code, out: decode(run.stdout), err: decode(run.stderr) };
}

/** Runs a shell line (a README example) with curl on the PATH; its code and output. */
export async function shell(line: string, env: Record<string, string> = {}) {
  const run = await new Deno.Command("sh", { args: ["-c", line], env, stdout: "piped" }).output();
  return { code: run.code, out: new TextDecoder().decode(run.stdout) };
}

/** A long-running command whose output lines are collected; disposing kills it. */
export function tailProcess(command: string, args: string[]) {
  const child = new Deno.Command(command, { args, stdout: "piped", stderr: "null" }).spawn();
  const lines: string[] = [];
  const reading = (async () => {
    let buffer = "";
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      buffer += chunk;
      const parts = buffer.split("\n");
      buffer = parts.pop()!;
      lines.push(...parts);
    }
  })();
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch { /* ended already */ }
    await child.status;
    await reading.catch(() => {});
  };
  return {
    lines,
    /** How the command ended (it ends by itself when the server closes the stream). */
    status: child.status,
    waitFor: (count: number) => waitUntil(() => lines.length >= count, `${count} lines`),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
