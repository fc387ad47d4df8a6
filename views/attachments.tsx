import type { FileView } from "../db/files.ts";
import { sizeText } from "../routes/limits.tsx";

/** The types shown inline as images (db/file_types.ts sniffs them; SVG is never one). */
export const INLINE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"];

/** The widest an inline image is drawn, in CSS pixels (the stylesheet shrinks it further). */
const SHOWN_WIDTH = 360;

/** "2.5 MB", "14 KB", "300 bytes": a file's size as a person reads it. */
export function bytesText(size: number): string {
  if (size < 1024) return `${size} bytes`;
  if (size < 1024 * 1024) return `${Math.round(size / 1024)} KB`;
  return size % (1024 * 1024) === 0 ? sizeText(size) : `${(size / 1024 / 1024).toFixed(1)} MB`;
}

/** What a download is, by its name ("PDF file"): its served type is only ever octet-stream. */
export function kindOf(name: string): string {
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(name)?.[1];
  return ext ? `${ext.toUpperCase()} file` : "File";
}

/** An image at its own aspect ratio: width and height set, so nothing moves when it loads. */
function Picture(props: { file: FileView; href: string }) {
  const { file } = props;
  const scale = Math.min(1, SHOWN_WIDTH / file.width!);
  return (
    <a class="file image" href={props.href} title={file.name}>
      <img
        src={props.href}
        alt={file.name}
        width={Math.max(1, Math.round(file.width! * scale))}
        height={Math.max(1, Math.round(file.height! * scale))}
        loading="lazy"
      />
    </a>
  );
}

/** Any other file: its name, type and size, as a download link. */
function Download(props: { file: FileView; href: string }) {
  const { file } = props;
  return (
    <a class="file download" href={props.href} download={file.name}>
      <span class="name">{file.name}</span>
      <span class="meta">{kindOf(file.name)}, {bytesText(file.size)}</span>
    </a>
  );
}

/** A message's files, under its text (views/message.tsx: every delivery path). */
export function Attachments(props: { slug: string; files?: FileView[] }) {
  if (!props.files?.length) return null;
  return (
    <div class="files">
      {props.files.map((file) => {
        const href = `/rooms/${props.slug}/files/${file.id}`;
        const image = INLINE_TYPES.includes(file.type) && file.width && file.height;
        return image ? <Picture file={file} href={href} /> : <Download file={file} href={href} />;
      })}
    </div>
  );
}
