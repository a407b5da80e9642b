/** Namespace of bank-crm customer ids derived from source record keys. */
export const CUSTOMER_ID_NAMESPACE = '6f1c0e52-3a7d-5b8e-9c41-2d0f7a9b6e13';

const namespaceBytes = new Map<string, Uint8Array>();
let buffer = new Uint8Array(256);
const w = new Int32Array(80);
const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * SHA-1 of `bytes[0, length)`, written into `out` (five words); `bytes` must have room for the
 * padding (up to 72 bytes more). In-process: `createHash` costs microseconds of set-up per call,
 * and the offline resolver names half a million customers.
 */
function sha1(bytes: Uint8Array, length: number, out: Int32Array): void {
  const blocks = ((length + 8) >>> 6) + 1;
  const end = blocks * 64;
  bytes.fill(0, length, end);
  bytes[length] = 0x80;
  const bits = length * 8;
  bytes[end - 5] = Math.floor(bits / 0x100000000) & 0xff;
  bytes[end - 4] = bits >>> 24;
  bytes[end - 3] = (bits >>> 16) & 0xff;
  bytes[end - 2] = (bits >>> 8) & 0xff;
  bytes[end - 1] = bits & 0xff;
  let h0 = 0x67452301;
  let h1 = 0xefcdab89 | 0;
  let h2 = 0x98badcfe | 0;
  let h3 = 0x10325476;
  let h4 = 0xc3d2e1f0 | 0;
  for (let p = 0; p < end; p += 64) {
    for (let i = 0; i < 16; i++) {
      const q = p + i * 4;
      w[i] = (bytes[q] << 24) | (bytes[q + 1] << 16) | (bytes[q + 2] << 8) | bytes[q + 3];
    }
    for (let i = 16; i < 80; i++) {
      const x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16];
      w[i] = (x << 1) | (x >>> 31);
    }
    let a = h0;
    let b = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    let t: number;
    for (let i = 0; i < 20; i++) {
      t = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + w[i]) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    for (let i = 20; i < 40; i++) {
      t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + w[i]) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    for (let i = 40; i < 60; i++) {
      t = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e - 0x70e44324 + w[i]) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    for (let i = 60; i < 80; i++) {
      t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e - 0x359d3e2a + w[i]) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
  }
  out[0] = h0;
  out[1] = h1;
  out[2] = h2;
  out[3] = h3;
  out[4] = h4;
}

const digest = new Int32Array(5);
const encoder = new TextEncoder();

/** RFC 4122 version-5 (SHA-1, name-based) UUID: the same name always gives the same id. */
export function uuidV5(name: string, namespace = CUSTOMER_ID_NAMESPACE): string {
  let ns = namespaceBytes.get(namespace);
  if (!ns) {
    ns = Uint8Array.from(Buffer.from(namespace.replace(/-/g, ''), 'hex'));
    namespaceBytes.set(namespace, ns);
  }
  if (buffer.length < ns.length + name.length * 3 + 72)
    buffer = new Uint8Array(ns.length + name.length * 3 + 72);
  buffer.set(ns, 0);
  let length = ns.length;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0x80) {
      length = -1;
      break;
    }
    buffer[length++] = c;
  }
  if (length < 0) {
    const { written } = encoder.encodeInto(name, buffer.subarray(ns.length, buffer.length - 72));
    length = ns.length + written;
  }
  sha1(buffer, length, digest);
  const d0 = digest[0];
  const d1 = digest[1];
  const d2 = digest[2];
  const d3 = digest[3];
  // version 5 in the high nibble of byte 6, the RFC 4122 variant in the top bits of byte 8
  return (
    HEX[d0 >>> 24] +
    HEX[(d0 >>> 16) & 0xff] +
    HEX[(d0 >>> 8) & 0xff] +
    HEX[d0 & 0xff] +
    '-' +
    HEX[d1 >>> 24] +
    HEX[(d1 >>> 16) & 0xff] +
    '-' +
    HEX[((d1 >>> 8) & 0x0f) | 0x50] +
    HEX[d1 & 0xff] +
    '-' +
    HEX[((d2 >>> 24) & 0x3f) | 0x80] +
    HEX[(d2 >>> 16) & 0xff] +
    '-' +
    HEX[(d2 >>> 8) & 0xff] +
    HEX[d2 & 0xff] +
    HEX[d3 >>> 24] +
    HEX[(d3 >>> 16) & 0xff] +
    HEX[(d3 >>> 8) & 0xff] +
    HEX[d3 & 0xff]
  );
}
