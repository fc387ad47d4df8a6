// The first paint is already grouped, so nothing moves when the page script regroups.
import assert from "node:assert/strict";
import type { MessageView } from "../../db/messages.ts";
import type { Room } from "../../db/schema.ts";
import { continues } from "../../views/message.tsx";
import { History } from "../../views/room_page.tsx";

function message(id: string, author: string, at: string, extra: Partial<MessageView> = {}) {
  return {
    id: id.padEnd(26, "0"),
    room_id: "R".padEnd(26, "0"),
    room_slug: "general",
    author_id: author.padEnd(26, "0"),
    username: author,
    display_name: author,
    body: `text ${id}`,
    created_at: new Date(at),
    edited_at: null,
    deleted_at: null,
    seq: 1,
    version: 1,
    reactions: [],
    ...extra,
  } as unknown as MessageView;
}

Deno.test("a person's messages within five minutes on one day form a group on the server", () => {
  const list = [
    message("A", "ana", "2026-11-30T23:58:00Z"),
    message("B", "ana", "2026-11-30T23:59:00Z"),
    message("C", "ana", "2026-12-01T00:01:00Z"),
    message("D", "bob", "2026-12-01T00:02:00Z"),
    message("E", "bob", "2026-12-01T00:08:00Z"),
    message("F", "bob", "2026-12-01T00:09:00Z", { deleted_at: new Date() }),
  ];
  assert.deepEqual(
    list.map((m, i) => continues(m, list[i - 1])),
    [false, true, false, false, false, false],
  );
  const html = String(
    <History room={{ slug: "general" } as Room} messages={list} hasMore={false} />,
  );
  const classes = [...html.matchAll(/<article id="m-(\w)0+" class="msg h\d+([^"]*)"/g)]
    .map((m) => `${m[1]}${m[2]}`);
  assert.deepEqual(classes, ["A", "B cont", "C", "D", "E", "F deleted"]);
  assert.equal([...html.matchAll(/class="day"/g)].length, 2, "a divider per UTC day");
});
