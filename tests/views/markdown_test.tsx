import assert from "node:assert/strict";
import { mentionedNames } from "../../db/body_rules.ts";
import { FormattedBody } from "../../views/format.tsx";
import { assertSafe } from "./safe_html.ts";

function render(body: string, me?: string): string {
  return String(<FormattedBody body={body} me={me} />);
}

function link(href: string, text = href): string {
  return `<a href="${href}" rel="noopener noreferrer nofollow" target="_blank">${text}</a>`;
}

// Each CommonMark construct a chat message may use, and exactly the HTML it becomes.
const CORPUS: [string, string][] = [
  [
    "> said @ann\n> twice",
    '<blockquote><p>said <span class="mention">@ann</span><br>twice</p></blockquote>',
  ],
  [
    "> outer\n>> inner",
    "<blockquote><p>outer</p><blockquote><p>inner</p></blockquote></blockquote>",
  ],
  ["- a\n- b", "<ul><li>a</li><li>b</li></ul>"],
  ["* a\n  * b\n    1. c", "<ul><li>a<ul><li>b<ol><li>c</li></ol></li></ul></li></ul>"],
  ["1. one\n2. two", "<ol><li>one</li><li>two</li></ol>"],
  ["3) three", '<ol start="3"><li>three</li></ol>'],
  ["- a\n\n- b", "<ul><li><p>a</p></li><li><p>b</p></li></ul>"],
  ["```ts\nconst a = 1;\n```", '<pre><code class="language-ts">const a = 1;</code></pre>'],
  ["~~~ Python extra\nx\n~~~", '<pre><code class="language-python">x</code></pre>'],
  ['```"><script>\nx\n```', "<pre><code>x</code></pre>"],
  ["```\nplain\n```", "<pre><code>plain</code></pre>"],
  ["    indented\n      more", "<pre><code>indented\n  more</code></pre>"],
  ["use `a < b` here", "use <code>a &lt; b</code> here"],
  ["``a ` b``", "<code>a ` b</code>"],
  [
    "**b** __b__ *i* _i_ ~~s~~",
    "<strong>b</strong> <strong>b</strong> <em>i</em> <em>i</em> <del>s</del>",
  ],
  ["***both***", "<em><strong>both</strong></em>"],
  ["# Big\nsmall", '<p class="heading"><strong>Big</strong></p><p>small</p>'],
  ["Setext\n===", '<p class="heading"><strong>Setext</strong></p>'],
  ["###### **six**", '<p class="heading"><strong><strong>six</strong></strong></p>'],
  ["#hashtag", "#hashtag"],
  ["a\n\n---\n\nb", "<p>a</p><hr><p>b</p>"],
  ["[docs](https://a.example/d)", link("https://a.example/d", "docs")],
  [
    "[**bold** `code`](http://a.example)",
    link("http://a.example", "<strong>bold</strong> <code>code</code>"),
  ],
  ["<https://a.example/x>", link("https://a.example/x")],
  ["see https://a.example/p?q=1&r=2.", `see ${link("https://a.example/p?q=1&amp;r=2")}.`],
  ["mail mailto:ann@a.example now", `mail ${link("mailto:ann@a.example")} now`],
  ["[write](mailto:ann@a.example)", link("mailto:ann@a.example", "write")],
  [
    "ftp://a.example www.a.example ann@a.example //a.example",
    "ftp://a.example www.a.example ann@a.example //a.example",
  ],
  ["one\ntwo  \nthree\\\nfour", "one<br>two<br>three<br>four"],
  ["para one\n\npara two", "<p>para one</p><p>para two</p>"],
  ["\\*not em\\* \\@ann", "*not em* @ann"],
  ["日本語 **太字** 🎉 «ok» e\u0301", "日本語 <strong>太字</strong> 🎉 «ok» e\u0301"],
  [
    "@ann `@bob`\n```\n@carol\n```",
    '<p><span class="mention">@ann</span> <code>@bob</code></p><pre><code>@carol</code></pre>',
  ],
];

for (const [body, html] of CORPUS) {
  Deno.test(`markdown: ${JSON.stringify(body)}`, () => {
    assert.equal(render(body), html);
    assertSafe(render(body));
  });
}

// Hostile input: never a tag or attribute of its own, never a live link to another scheme.
const HOSTILE: [string, string][] = [
  ["<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"],
  ["<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"],
  ["[x](javascript:alert(1))", "[x](javascript:alert(1))"],
  ["[x](JAVASCRIPT:alert(1))", "[x](JAVASCRIPT:alert(1))"],
  ["[x](&#106;avascript:alert(1))", "[x](javascript:alert(1))"],
  ["[x](java\tscript:alert(1))", "[x](java\tscript:alert(1))"],
  [
    "[x](data:text/html,hi) [y](vbscript:msgbox) [z](file:///etc/passwd)",
    "[x](data:text/html,hi) [y](vbscript:msgbox) [z](file:///etc/passwd)",
  ],
  ["[x](/relative) [y](//a.example)", "[x](/relative) [y](//a.example)"],
  ["<javascript:alert(1)>", "&lt;javascript:alert(1)&gt;"],
  ["![x](https://evil.example/x.png)", `!${link("https://evil.example/x.png", "x")}`],
  ["![x](javascript:alert(1))", "![x](javascript:alert(1))"],
  [
    "<div>\n<script>x</script>\n</div>",
    "&lt;div&gt;<br>&lt;script&gt;x&lt;/script&gt;<br>&lt;/div&gt;",
  ],
  ["<!-- hidden -->", "&lt;!-- hidden --&gt;"],
  [
    '<a href="javascript:alert(1)">x</a>',
    "&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;",
  ],
  ['[x](https://a.example "t\\" onclick=\\"y")', link("https://a.example", "x")],
  [
    '[x](https://a.example/"onclick="alert(1))',
    link("https://a.example/%22onclick=%22alert(1)", "x"),
  ],
  ["[x](<https://a.example/a b>)", link("https://a.example/a%20b", "x")],
  ["[ref]: https://a.example\n\n[ref]", `<p>[ref]: ${link("https://a.example")}</p><p>[ref]</p>`],
  ["[@ann](https://a.example)", link("https://a.example", "@ann")],
  ["| a | b |\n|---|---|\n| 1 | 2 |", "| a | b |<br>|---|---|<br>| 1 | 2 |"],
  [
    "```\n<img src=x onerror=alert(1)>\n```",
    "<pre><code>&lt;img src=x onerror=alert(1)&gt;</code></pre>",
  ],
];

for (const [body, html] of HOSTILE) {
  Deno.test(`hostile markdown stays text: ${JSON.stringify(body)}`, () => {
    assert.equal(render(body), html);
    for (const variant of [body, `> ${body}`, `- ${body}`, `**${body}**`]) {
      assertSafe(render(variant, "ann"));
    }
  });
}

Deno.test("a message that markdown would leave empty is shown as typed", () => {
  assert.equal(render("#"), "#");
  assert.equal(render(">"), "&gt;");
  assert.equal(render("-\n*"), "-<br>*");
  assert.equal(render("```\n```"), "```<br>```");
  assert.equal(render("---"), "<hr>");
  assert.equal(render("```\nx\n```"), "<pre><code>x</code></pre>");
});

Deno.test("a link with no text shows its address", () => {
  assert.equal(render("[](https://a.example)"), link("https://a.example"));
  assert.equal(render("[**](https://a.example)"), link("https://a.example", "**"));
});

Deno.test("a link in a message names no one, code mentions no one, quotes and lists do", () => {
  const body = "[@ann](https://a.example) `@bob`\n> @Carol\n- @dave\n# @erin";
  assert.deepEqual(mentionedNames(body), ["carol", "dave", "erin"]);
});

Deno.test("the reader's own mention is highlighted inside any block", () => {
  assert.equal(
    render("> - **@Ann**", "ann"),
    '<blockquote><ul><li><strong><span class="mention mention-me">@Ann</span></strong></li></ul></blockquote>',
  );
});

// 10,000 characters is two and a half times the longest message the store accepts.
const PATHOLOGICAL = [
  ">".repeat(10_000) + " x",
  Array.from({ length: 140 }, (_, i) => ">".repeat(i) + " x").join("\n"),
  "[".repeat(10_000) + "x",
  "[".repeat(5_000) + "](https://a.example)".repeat(250),
  "*".repeat(10_000) + "x",
  "*a **b ".repeat(1_400),
  "_a ".repeat(3_300),
  "~~a ".repeat(2_500),
  "`a ".repeat(3_300),
  "[a](https://x ".repeat(700),
  "@ab ".repeat(2_500),
  "- ".repeat(5_000) + "x",
  Array.from({ length: 100 }, (_, i) => "  ".repeat(i) + "- x").join("\n"),
  "https://a.example/" + ")".repeat(10_000),
  "&#106;".repeat(1_600),
  "\\".repeat(10_000),
];

for (const body of PATHOLOGICAL) {
  Deno.test(`pathological input renders in bounded time: ${JSON.stringify(body.slice(0, 24))}…`, () => {
    const start = performance.now();
    const html = render(body);
    mentionedNames(body);
    const took = performance.now() - start;
    assertSafe(html);
    assert.ok(took < 1000, `${took.toFixed(0)} ms`);
  });
}
