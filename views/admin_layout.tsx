import type { Child } from "hono/jsx";
import type { User } from "../db/schema.ts";
import { FormError, Layout } from "./layout.tsx";

/** The admin panel's sections, in the order the nav shows them. */
export type AdminSection = "overview" | "rooms" | "users" | "invitations" | "messages" | "bots";

const SECTIONS: [AdminSection, string, string][] = [
  ["overview", "Settings and log", "/admin"],
  ["rooms", "Rooms", "/admin/rooms"],
  ["users", "People", "/admin/users"],
  ["invitations", "Invitations", "/admin/invitations"],
  ["messages", "Messages", "/admin/messages"],
  ["bots", "Bots", "/admin/bots"],
];

/** The admin page shell: section nav, an optional error line, then the section. */
export function AdminPage(
  props: {
    user: User;
    section: AdminSection;
    title: string;
    error?: string | null;
    children: Child;
  },
) {
  return (
    <Layout title={`Admin: ${props.title}`} user={props.user}>
      <main id="main" class="admin">
        <nav class="admin-nav" aria-label="Admin sections">
          {SECTIONS.map(([section, label, href]) => (
            <a href={href} aria-current={section === props.section ? "page" : undefined}>
              {label}
            </a>
          ))}
        </nav>
        <h1>{props.title}</h1>
        <FormError message={props.error} />
        {props.children}
      </main>
    </Layout>
  );
}

/** A one-button form that posts to `action` (plain form, works without JavaScript). */
export function ActionButton(
  props: { action: string; label: string; fields?: Record<string, string>; danger?: boolean },
) {
  return (
    <form class="inline" method="post" action={props.action}>
      {Object.entries(props.fields ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class={props.danger ? "danger" : undefined}>{props.label}</button>
    </form>
  );
}
