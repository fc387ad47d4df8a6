// The stylesheet must parse as written. A block left open is not a parse error in CSS (the end
// of the file closes it), which is how half of app.css once vanished into an @keyframes: so
// this counts blocks and looks inside every @keyframes, too. `deno task check` runs it.
import assert from "node:assert/strict";
import * as csstree from "css-tree";

/** What is wrong with a stylesheet: parse errors, unclosed blocks, rules inside @keyframes. */
export function stylesheetProblems(css: string): string[] {
  const problems: string[] = [];
  const ast = csstree.parse(css, {
    positions: true,
    onParseError: (error: { line?: number; message: string }) =>
      problems.push(`line ${error.line}: ${error.message}`),
  });
  let depth = 0;
  csstree.tokenize(css, (type: number) => {
    if (type === csstree.tokenTypes.LeftCurlyBracket) depth++;
    if (type === csstree.tokenTypes.RightCurlyBracket) depth--;
  });
  if (depth !== 0) problems.push(`${depth} block(s) opened and never closed`);
  csstree.walk(ast, {
    visit: "Atrule",
    enter(node: csstree.Atrule) {
      if (!/keyframes$/.test(node.name) || !node.block) return;
      for (const child of node.block.children) {
        const prelude = child.type === "Rule" ? csstree.generate(child.prelude) : child.type;
        if (!/^((from|to|\d+(\.\d+)?%),?)+$/.test(prelude.replace(/\s/g, ""))) {
          problems.push(`line ${node.loc?.start.line}: @keyframes holds "${prelude}"`);
        }
      }
    },
  });
  return problems;
}

Deno.test("the stylesheet parses with every block closed", async () => {
  const css = await Deno.readTextFile(new URL("../../static/app.css", import.meta.url));
  assert.deepEqual(stylesheetProblems(css), []);
});

Deno.test("an @keyframes left open is caught", () => {
  const broken = "@keyframes fade {\n  to { opacity: 0; }\n\n.badge { color: red; }\n";
  const found = stylesheetProblems(broken);
  assert.ok(found.some((p) => /never closed/.test(p)), found.join("; "));
  assert.ok(found.some((p) => /@keyframes holds "\.badge"/.test(p)), found.join("; "));
  assert.deepEqual(stylesheetProblems("@keyframes fade { to { opacity: 0; } }\n.a { b: c }"), []);
});
