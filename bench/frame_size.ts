// Prints the byte size of a typical pushed frame: one new message, and one replaced message
// (an edit or a reaction), as the hub sends them. `deno run bench/frame_size.ts`
import type { MessageView } from "../db/messages.ts";
import { frameFor } from "../views/frame.tsx";

const message = {
  id: "01JD2Q7W8X9Y0Z1A2B3C4D5E6F",
  room_id: "01JD2Q7W8X9Y0Z1A2B3C4D5E6G",
  author_id: "01JD2Q7W8X9Y0Z1A2B3C4D5E6H",
  body: "Deploy is done, the new search box is live: try it and tell me what breaks",
  client_id: "m3x9k2abcd",
  seq: 120,
  version: 121,
  created_at: new Date("2026-11-21T10:00:00Z"),
  edited_at: null,
  deleted_at: null,
  username: "ana",
  display_name: "Ana",
  room_slug: "general",
} as MessageView;

const bytes = (html: string) => new TextEncoder().encode(html).length;
const reacted = {
  ...message,
  version: 122,
  reactions: [
    { emoji: "👍", names: ["Ana", "Bob"] },
    { emoji: "🎉", names: ["Cy"] },
  ],
};
console.log(`new message frame: ${bytes(frameFor([message], 120))} bytes`);
console.log(`reaction frame (replace): ${bytes(frameFor([reacted], 121))} bytes`);
