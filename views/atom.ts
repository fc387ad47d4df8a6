// Atom 1.0 documents (RFC 4287), written as text: every value passes through xml(), and an
// entry's HTML content is the escaped output of the room page's own body component.
import { FormattedBody } from "./format.tsx";

/** One entry: the canonical address is its id and its link. */
export interface AtomEntry {
  url: string;
  /** Default: the author and the first words (entryTitle). */
  title?: string;
  author: string;
  body: string;
  published: Date;
  updated: Date;
}

/** A feed's head: its own address (rel=self) and the page it stands for (rel=alternate). */
export interface AtomFeed {
  title: string;
  self: string;
  alternate: string;
  /** When nothing is in it: the feed's `updated` is then this. */
  since: Date;
  entries: AtomEntry[];
}

/** The Content-Type of an Atom answer. */
export const ATOM_TYPE = "application/atom+xml; charset=utf-8";

/** Text escaped for XML content and attribute values; characters XML forbids are dropped. */
export function xml(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
    .replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;").replaceAll("'", "&apos;");
}

/** An entry's title: its author and the first words of the message, on one line. */
export function entryTitle(author: string, body: string): string {
  const words = body.replace(/\s+/g, " ").trim();
  const short = words.length > 60 ? `${words.slice(0, 60).replace(/\s\S*$/, "")}…` : words;
  return `${author}: ${short}`;
}

async function entryXml(entry: AtomEntry): Promise<string> {
  const html = String(await FormattedBody({ body: entry.body }).toString());
  return `<entry>
<id>${xml(entry.url)}</id>
<title type="text">${xml(entry.title ?? entryTitle(entry.author, entry.body))}</title>
<published>${entry.published.toISOString()}</published>
<updated>${entry.updated.toISOString()}</updated>
<author><name>${xml(entry.author)}</name></author>
<link rel="alternate" type="text/html" href="${xml(entry.url)}"/>
<content type="html">${xml(html)}</content>
</entry>`;
}

/** The whole feed document, newest entry first as given. */
export async function atomFeed(feed: AtomFeed): Promise<string> {
  const times = feed.entries.map((e) => e.updated.getTime());
  const updated = times.length ? new Date(Math.max(...times)) : feed.since;
  const entries = await Promise.all(feed.entries.map(entryXml));
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<id>${xml(feed.self)}</id>
<title type="text">${xml(feed.title)}</title>
<updated>${updated.toISOString()}</updated>
<link rel="self" type="application/atom+xml" href="${xml(feed.self)}"/>
<link rel="alternate" type="text/html" href="${xml(feed.alternate)}"/>
<generator>Hyperchat</generator>
${entries.join("\n")}
</feed>
`;
}
