import { type Context, Hono } from "hono";
import { etag } from "hono/etag";
import {
  archiveDay,
  archiveDays,
  type ArchivedMessage,
  latestMessages,
  neighbourDays,
  publicRoom,
} from "../db/archive.ts";
import type { Room } from "../db/schema.ts";
import { ArchiveDayPage, ArchiveIndex, archivePath } from "../views/archive_pages.tsx";
import { ATOM_TYPE, atomFeed } from "../views/atom.ts";
import type { Deps, Env } from "./env.ts";
import { publicOrigin } from "./public_origin.ts";

const DAYS_PER_PAGE = 30;
/** How long caches may keep a page: a past day changes rarely (an edit, a deletion). */
const PAST_DAY = "public, max-age=3600";
const RECENT = "public, max-age=60";

/** A real calendar day written `YYYY-MM-DD`, or null. */
export function calendarDay(value: string | undefined): string | null {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const date = new Date(`${value}T00:00:00Z`);
  return !isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value ? value : null;
}

/** Every room that is not public now answers the same 404 as no room: nothing is revealed. */
const hidden = (c: Context) => c.text("Not found", 404);

/**
 * `/archive/:slug` (days), `/archive/:slug/:day` (a UTC day's messages) and
 * `/archive/:slug/feed.atom`: a public room's history, readable without a session, as plain
 * cacheable HTML and Atom. Each asks publicRoom (db/archive.ts) first. The ETag is the
 * answer's own hash (hono/etag), so a repeated request with it gets 304.
 */
export function archiveRoutes(deps: Deps) {
  const app = new Hono<Env>();
  app.use(etag());
  const origin = (c: Context) => publicOrigin(deps, c);
  const entry = (c: Context, room: Room, m: ArchivedMessage) => ({
    url: `${origin(c)}${archivePath(room, utcDay(m.created_at))}#m-${m.id}`,
    author: m.display_name,
    body: m.body,
    published: m.created_at,
    updated: m.edited_at ?? m.created_at,
  });

  app.get("/:slug/feed.atom", async (c) => {
    const room = await publicRoom(deps.db, c.req.param("slug"));
    if (!room) return hidden(c);
    const messages = await latestMessages(deps.db, room.id, 50);
    const body = await atomFeed({
      title: `#${room.name}`,
      self: `${origin(c)}${archivePath(room)}/feed.atom`,
      alternate: origin(c) + archivePath(room),
      since: room.created_at,
      entries: messages.map((m) => entry(c, room, m)),
    });
    return c.body(body, 200, { "content-type": ATOM_TYPE, "cache-control": RECENT });
  });

  app.get("/:slug/:day{[0-9]{4}-[0-9]{2}-[0-9]{2}}", async (c) => {
    const day = calendarDay(c.req.param("day"));
    const room = day && await publicRoom(deps.db, c.req.param("slug"));
    if (!day || !room) return hidden(c);
    const messages = await archiveDay(deps.db, room.id, day);
    if (!messages.length) return hidden(c);
    const { prev, next } = await neighbourDays(deps.db, room.id, day);
    c.header("cache-control", day < utcDay(new Date()) ? PAST_DAY : RECENT);
    const props = { room, origin: origin(c), day, messages, prev, next };
    return c.html(<ArchiveDayPage {...props} />);
  });

  app.get("/:slug", async (c) => {
    const room = await publicRoom(deps.db, c.req.param("slug"));
    if (!room) return hidden(c);
    const before = c.req.query("before");
    if (before !== undefined && !calendarDay(before)) {
      return c.text("before must be a day written YYYY-MM-DD", 400);
    }
    const limit = DAYS_PER_PAGE + 1;
    const days = await archiveDays(deps.db, room.id, { before: before ?? null, limit });
    const shown = days.slice(0, DAYS_PER_PAGE);
    const older = days.length > DAYS_PER_PAGE ? shown[shown.length - 1].day : null;
    c.header("cache-control", RECENT);
    const props = { room, origin: origin(c), days: shown, before: before ?? null, older };
    return c.html(<ArchiveIndex {...props} />);
  });

  return app;
}

/** The UTC day of a time, `YYYY-MM-DD` (archive pages are UTC days). */
function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** `/robots.txt`: crawlers may read the public archives and nothing else. */
export function robotsRoutes() {
  const app = new Hono();
  app.get("/robots.txt", (c) => {
    c.header("cache-control", "public, max-age=86400");
    return c.text("User-agent: *\nAllow: /archive/\nDisallow: /\n");
  });
  return app;
}
