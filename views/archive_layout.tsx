import { html } from "hono/html";
import type { Child } from "hono/jsx";
import type { ArchivedMessage } from "../db/archive.ts";
import { isAction } from "../db/body_rules.ts";
import { staticUrl } from "./assets.ts";
import { FormattedBody } from "./format.tsx";
import { hueOf, initialsOf } from "./message.tsx";

/**
 * The shell of a public archive page: plain HTML and the stylesheet, no script at all (no
 * htmx, no page script), so it reads the same in any browser, crawler or feed reader.
 */
export function ArchiveLayout(
  props: { title: string; canonical: string; feed: string; children: Child },
) {
  return html`<!DOCTYPE html>${(
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="index, follow" />
        <title>{props.title} · Hyperchat</title>
        <link rel="canonical" href={props.canonical} />
        <link rel="alternate" type="application/atom+xml" title={props.title} href={props.feed} />
        <link rel="icon" href={staticUrl("favicon.svg")} type="image/svg+xml" />
        <link rel="stylesheet" href={staticUrl("app.css")} />
      </head>
      <body>
        <main id="main" class="lobby archive">{props.children}</main>
      </body>
    </html>
  )}`;
}

const CLOCK = new Intl.DateTimeFormat("en-GB", { timeStyle: "short", timeZone: "UTC" });

/**
 * One archived message: the room page's body component (views/format.tsx), its canonical
 * link on the time, and no controls, reactions or history (the archive is read-only).
 */
export function ArchivedLine(props: { message: ArchivedMessage; href: string }) {
  const m = props.message;
  return (
    <article
      id={`m-${m.id}`}
      class={`msg ${hueOf(m.username)}${isAction(m.body) ? " action" : ""}`}
      data-i={initialsOf(m.display_name)}
    >
      <header>
        <span class="author" title={`@${m.username}`}>{m.display_name}</span>{" "}
        <a class="when" href={props.href}>
          <time datetime={m.created_at.toISOString()}>{CLOCK.format(m.created_at)} UTC</time>
        </a>
        {m.edited_at && <span class="edited">edited</span>}
      </header>
      <div class="body">
        <FormattedBody body={m.body} />
      </div>
    </article>
  );
}
