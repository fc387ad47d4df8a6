// IP addresses and CIDR ranges as bytes, for the trusted-proxy setting and throttle keys.

/** A range of addresses: the first `bits` bits of `bytes` (4 bytes for IPv4, 16 for IPv6). */
export interface Cidr {
  bytes: Uint8Array;
  bits: number;
}

function parseV4(text: string): Uint8Array | null {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) {
    return null;
  }
  return Uint8Array.from(parts, Number);
}

function groups(side: string): number[] | null {
  if (!side) return [];
  const out: number[] = [];
  for (const group of side.split(":")) {
    if (!/^[0-9a-f]{1,4}$/i.test(group)) return null;
    out.push(parseInt(group, 16));
  }
  return out;
}

function parseV6(text: string): Uint8Array | null {
  let body = text.replace(/%.*$/, "");
  // A trailing dotted IPv4 part (::ffff:10.0.0.1) is two hex groups.
  const v4 = body.match(/:(\d+\.\d+\.\d+\.\d+)$/);
  if (v4) {
    const b = parseV4(v4[1]);
    if (!b) return null;
    const hex = (hi: number, lo: number) => (hi << 8 | lo).toString(16);
    body = `${body.slice(0, -v4[1].length)}${hex(b[0], b[1])}:${hex(b[2], b[3])}`;
  }
  const halves = body.split("::");
  if (halves.length > 2) return null;
  const [head, rest] = [groups(halves[0]), halves.length === 2 ? groups(halves[1]) : []];
  if (!head || !rest) return null;
  const given = head.length + rest.length;
  if (halves.length === 1 ? given !== 8 : given > 7) return null;
  const all = [...head, ...Array(8 - given).fill(0), ...rest];
  return Uint8Array.from(all.flatMap((g) => [g >> 8, g & 255]));
}

/** An address's bytes (IPv4-mapped IPv6 counts as IPv4), or null when it is not one. */
export function parseIp(text: string): Uint8Array | null {
  const bare = text.trim().replace(/^\[(.*)\]$/, "$1");
  if (!bare.includes(":")) return parseV4(bare);
  const bytes = parseV6(bare);
  const mapped = bytes && bytes.slice(0, 10).every((b) => b === 0) &&
    bytes[10] === 255 && bytes[11] === 255;
  return mapped ? bytes.slice(12) : bytes;
}

/** A range like `10.0.0.0/8` or `fd00::/8`, or one address; null when malformed. */
export function parseCidr(text: string): Cidr | null {
  const [address, size, extra] = text.trim().split("/");
  const bytes = parseIp(address);
  if (!bytes || extra !== undefined) return null;
  if (size !== undefined && !/^\d{1,3}$/.test(size)) return null;
  const bits = size === undefined ? bytes.length * 8 : Number(size);
  if (bits > bytes.length * 8) return null;
  return { bytes, bits };
}

/** True when the address lies in the range (an IPv4 address never lies in an IPv6 range). */
export function inCidr(address: Uint8Array, cidr: Cidr): boolean {
  if (address.length !== cidr.bytes.length) return false;
  for (let bit = 0; bit < cidr.bits; bit++) {
    const mask = 0x80 >> (bit % 8);
    if ((address[bit >> 3] & mask) !== (cidr.bytes[bit >> 3] & mask)) return false;
  }
  return true;
}

/** One spelling per address (dotted IPv4; IPv6 as eight hex groups). */
export function formatIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return bytes.join(".");
  const out: string[] = [];
  for (let i = 0; i < 16; i += 2) out.push((bytes[i] << 8 | bytes[i + 1]).toString(16));
  return out.join(":");
}
