// Preloaded by .ci/run when the server suites run on Deno 2.5 (the version Deno Deploy
// documents). Deno 2.9 runs tests with the ops and resources sanitizers off unless asked
// (--sanitize-ops, --sanitize-resources); 2.5 has them on. The suites share one app and store
// per file, whose pool connections and heartbeat timers outlive each test by design, so here
// every test gets 2.9's defaults. A test that sets a sanitizer itself keeps its own setting.
type Definition = Deno.TestDefinition;
type Fn = Definition["fn"];
type Options = Omit<Definition, "fn" | "name">;

const original = Deno.test;

function definition(a: unknown, b?: unknown, c?: unknown): Definition {
  if (typeof a === "function") return { name: a.name, fn: a as Fn };
  if (typeof a === "string") {
    return typeof b === "function"
      ? { name: a, fn: b as Fn }
      : { ...(b as Options), name: a, fn: c as Fn };
  }
  const options = a as Partial<Definition>;
  if (typeof b === "function") return { name: (b as Fn).name, ...options, fn: b as Fn };
  return options as Definition;
}

const test = (a: unknown, b?: unknown, c?: unknown) =>
  original({ sanitizeOps: false, sanitizeResources: false, ...definition(a, b, c) });
for (const key of Object.getOwnPropertyNames(original)) {
  if (key === "length" || key === "name" || key === "prototype") continue;
  Object.defineProperty(test, key, Object.getOwnPropertyDescriptor(original, key)!);
}
Object.defineProperty(Deno, "test", { value: test, configurable: true, writable: true });
