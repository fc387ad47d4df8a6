import assert from "node:assert/strict";
import { isAction, mentionedNames } from "../../db/body_rules.ts";
import { FormattedBody } from "../../views/format.tsx";
import { assertSafe } from "./safe_html.ts";

function render(body: string, me?: string): string {
  return String(<FormattedBody body={body} me={me} />);
}

function link(href: string, text = href): string {
  return `<a href="${href}" rel="noopener noreferrer nofollow" target="_blank">${text}</a>`;
}

Deno.test("assertSafe itself rejects unsafe markup", () => {
  const unsafe = [
    "<img src=x>",
    '<span onclick="x">a</span>',
    '<a href="javascript:alert(1)">a</a>',
    '<div hx-get="/x"></div>',
    '<span class="mention" hx-swap-oob="true">a</span>',
    'a " b',
    "<b",
  ];
  for (const html of unsafe) assert.throws(() => assertSafe(html), html);
  assertSafe(`<em>a &lt;img&gt;</em><br>${link("https://a.example")}`);
});

const XSS = [
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  '<div hx-get="/x" hx-trigger="load">',
  '<div id="messages" hx-swap-oob="true">',
  '<a href="javascript:alert(1)" style="color:red">x</a>',
  "[x](javascript:alert(1))",
  "[x](data:text/html,<script>alert(1)</script>)",
  "[x](vbscript:msgbox(1))",
  "javascript:alert(1)",
  "data:text/html;base64,PHNjcmlwdD4=",
  '" onmouseover="alert(1)',
  "' autofocus onfocus='alert(1)",
  'https://example.com/"onmouseover="alert(1)',
  "https://example.com/'onfocus='alert(1)'",
  "https://example.com/<script>alert(1)</script>",
  "`<img src=x onerror=alert(1)>`",
  '```html\n<script>alert(1)</script>\n<div hx-swap-oob="true">\n```',
  "```\n<img src=x onerror=alert(1)>",
  "**<b>x</b>**",
  "_<i onclick=alert(1)>x</i>_",
  "[<img src=x>](https://a.example)",
  '[x](https://a.example/"onclick="alert(1))',
  "@<script>alert(1)</script>",
  "/me <script>alert(1)</script>",
  "&lt;script&gt; &amp; &#60;img&#62;",
];

for (const body of XSS) {
  const variants = [
    body,
    `**${body}**`,
    `*${body}*`,
    `_${body}_`,
    `@bob ${body} https://a.example`,
  ];
  Deno.test(`xss corpus stays inert: ${JSON.stringify(body)}`, () => {
    for (const variant of variants) assertSafe(render(variant, "bob"));
  });
}

Deno.test("xss: user text is escaped, not dropped", () => {
  assert.equal(render("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
  // CommonMark reads entities as the characters they name; those are escaped again.
  assert.equal(render("&lt;b&gt; &amp;"), "&lt;b&gt; &amp;");
  assert.equal(render("\\<b>"), "&lt;b&gt;");
  assert.equal(render("**<b>x</b>**"), "<strong>&lt;b&gt;x&lt;/b&gt;</strong>");
});

Deno.test("xss: only http(s) targets become links, others stay literal", () => {
  assert.equal(render("[x](javascript:alert(1))"), "[x](javascript:alert(1))");
  assert.equal(render("javascript:alert(1)"), "javascript:alert(1)");
  assert.equal(
    render("vbscript:x data:text/html,x ftp://x.example"),
    "vbscript:x data:text/html,x ftp://x.example",
  );
  assert.equal(
    render("[<img src=x>](https://a.example)"),
    link("https://a.example", "&lt;img src=x&gt;"),
  );
});

Deno.test("xss: a quote in a bare URL is percent-encoded in href and escaped in the text", () => {
  assert.equal(
    render('https://example.com/"onmouseover="alert(1)'),
    link(
      "https://example.com/%22onmouseover=%22alert(1)",
      "https://example.com/&quot;onmouseover=&quot;alert(1)",
    ),
  );
});

Deno.test("fenced code block keeps text verbatim and newlines", () => {
  assert.equal(
    render("before\n```ts\n**x** @bob https://a.example\n  <b>\n```\nafter"),
    '<p>before</p><pre><code class="language-ts">**x** @bob https://a.example\n' +
      "  &lt;b&gt;</code></pre><p>after</p>",
  );
});

Deno.test("unclosed fence runs to the end of the body", () => {
  assert.equal(render("```\na\n\n*b*"), "<pre><code>a\n\n*b*</code></pre>");
});

Deno.test("inline code is not formatted inside", () => {
  assert.equal(render("run `**x** @bob` now"), "run <code>**x** @bob</code> now");
  assert.equal(render("```one-liner``` ok"), "<code>one-liner</code> ok");
  assert.equal(render("lone ` tick"), "lone ` tick");
});

Deno.test("bold and emphasis", () => {
  assert.equal(render("**b** *e* _u_"), "<strong>b</strong> <em>e</em> <em>u</em>");
  assert.equal(render("**a *b* c**"), "<strong>a <em>b</em> c</strong>");
});

Deno.test("emphasis follows CommonMark: stray and intra-word underscores stay literal", () => {
  assert.equal(render("2*3*4 and snake_case_name"), "2<em>3</em>4 and snake_case_name");
  assert.equal(render("2\\*3\\*4"), "2*3*4");
  assert.equal(render("a * b * c"), "a * b * c");
  assert.equal(render("5 * 6"), "5 * 6");
  assert.equal(render("**unclosed"), "**unclosed");
});

Deno.test("bare URLs become links without trailing punctuation", () => {
  const url = "https://a.example/p?q=1&r=2";
  assert.equal(render(`see ${url}.`), `see ${link(url.replace("&", "&amp;"))}.`);
  assert.equal(render("https://a.example, ok"), `${link("https://a.example")}, ok`);
  assert.equal(render("wow https://a.example!?"), `wow ${link("https://a.example")}!?`);
  assert.equal(render("(see https://a.example)"), `(see ${link("https://a.example")})`);
  const wiki = "https://en.wikipedia.org/wiki/Foo_(bar)";
  assert.equal(render(`(${wiki}).`), `(${link(wiki)}).`);
  assert.equal(render("http://a.example"), link("http://a.example"));
  assert.equal(render("https://."), "https://.");
});

Deno.test("markdown links", () => {
  assert.equal(render("[docs](https://a.example/d)!"), `${link("https://a.example/d", "docs")}!`);
});

Deno.test("newlines become <br>", () => {
  assert.equal(render("a\nb\r\nc"), "a<br>b<br>c");
});

Deno.test("mentions", () => {
  assert.equal(render("hi @Bob."), 'hi <span class="mention">@Bob</span>.');
  assert.equal(render("@bob", "BOB"), '<span class="mention mention-me">@bob</span>');
  assert.equal(
    render("mail a@b.example @x @" + "y".repeat(33)),
    "mail a@b.example @x @" + "y".repeat(33),
  );
  assert.equal(render("(@a.b-c_d)"), '(<span class="mention">@a.b-c_d</span>)');
});

Deno.test("mentionedNames: distinct, lower-cased, outside code", () => {
  const body = "@Bob @bob **@carol** `@dave`\n```\n@erin\n```\n@Frank.";
  assert.deepEqual(mentionedNames(body), ["bob", "carol", "frank"]);
  assert.deepEqual(mentionedNames("no one"), []);
});

Deno.test("/me actions render only the remainder", () => {
  assert.equal(isAction("/me waves"), true);
  assert.equal(isAction("/me"), false);
  assert.equal(isAction("/meh"), false);
  assert.equal(isAction("say /me waves"), false);
  assert.equal(render("/me waves at @bob"), 'waves at <span class="mention">@bob</span>');
  assert.equal(render("/meh"), "/meh");
});

Deno.test("mixed content", () => {
  assert.equal(
    render("*see https://a.example* and `x` @me\n**done**", "me"),
    `<em>see ${link("https://a.example")}</em> and <code>x</code> ` +
      '<span class="mention mention-me">@me</span><br><strong>done</strong>',
  );
});
