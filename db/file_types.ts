// What a file's bytes are, read from their first bytes: the name and the client's type are
// never believed. Only these four image types are ever shown inline or served as images.

/** An image type we show inline, with its size in pixels from its header. */
export interface ImageInfo {
  type: "image/png" | "image/jpeg" | "image/gif" | "image/webp";
  width: number;
  height: number;
}

/** The most pixels a side may claim (larger is a corrupt or hostile header, not an image). */
const MAX_SIDE = 65535;

/** The image a file's bytes hold (PNG, JPEG, GIF or WebP) and its size, or null for others. */
export function imageInfo(bytes: Uint8Array): ImageInfo | null {
  const found = png(bytes) ?? gif(bytes) ?? webp(bytes) ?? jpeg(bytes);
  if (!found || found.width < 1 || found.height < 1) return null;
  if (found.width > MAX_SIDE || found.height > MAX_SIDE) return null;
  return found;
}

function starts(bytes: Uint8Array, at: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

function view(bytes: Uint8Array) {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function png(bytes: Uint8Array): ImageInfo | null {
  if (bytes.length < 24 || !starts(bytes, 0, "\x89PNG\r\n\x1a\n") || !starts(bytes, 12, "IHDR")) {
    return null;
  }
  const v = view(bytes);
  return { type: "image/png", width: v.getUint32(16), height: v.getUint32(20) };
}

function gif(bytes: Uint8Array): ImageInfo | null {
  if (bytes.length < 10 || !(starts(bytes, 0, "GIF87a") || starts(bytes, 0, "GIF89a"))) {
    return null;
  }
  const v = view(bytes);
  return { type: "image/gif", width: v.getUint16(6, true), height: v.getUint16(8, true) };
}

/** WebP: a RIFF file whose first chunk is lossy (VP8), lossless (VP8L) or extended (VP8X). */
function webp(bytes: Uint8Array): ImageInfo | null {
  if (bytes.length < 25 || !starts(bytes, 0, "RIFF") || !starts(bytes, 8, "WEBP")) return null;
  const v = view(bytes);
  const type = "image/webp" as const;
  if (bytes.length < 30) return starts(bytes, 12, "VP8L") ? lossless(bytes) : null;
  if (starts(bytes, 12, "VP8 ") && bytes[23] === 0x9d && bytes[24] === 0x01 && bytes[25] === 0x2a) {
    return { type, width: v.getUint16(26, true) & 0x3fff, height: v.getUint16(28, true) & 0x3fff };
  }
  if (starts(bytes, 12, "VP8L")) return lossless(bytes);
  if (starts(bytes, 12, "VP8X")) {
    const side = (at: number) => (bytes[at] | bytes[at + 1] << 8 | bytes[at + 2] << 16) + 1;
    return { type, width: side(24), height: side(27) };
  }
  return null;
}

function lossless(bytes: Uint8Array): ImageInfo | null {
  if (bytes[20] !== 0x2f) return null;
  const bits = view(bytes).getUint32(21, true);
  return { type: "image/webp", width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
}

/** JPEG: walks the segments to the first frame header (SOF0-SOF15 but DHT, JPG and DAC). */
function jpeg(bytes: Uint8Array): ImageInfo | null {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  const v = view(bytes);
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1];
    if (marker === 0xff) {
      at++;
      continue;
    }
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return { type: "image/jpeg", width: v.getUint16(at + 7), height: v.getUint16(at + 5) };
    }
    at += 2 + v.getUint16(at + 2);
  }
  return null;
}
