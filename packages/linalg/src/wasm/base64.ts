const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Standard base64 to bytes (how descent's compiled WebAssembly kernels are committed): Node's native
 * decoder where there is one (a cold JavaScript loop costs milliseconds at start-up), else a table.
 *
 * @example
 * ```ts
 * import { decodeBase64 } from '@descent/linalg/wasm';
 * Array.from(decodeBase64('AGFzbQ=='));
 * // [0, 97, 115, 109]
 * ```
 */
export function decodeBase64(s: string): Uint8Array {
  const B = (globalThis as { Buffer?: { from(s: string, enc: string): Uint8Array } }).Buffer;
  if (B) return new Uint8Array(B.from(s, 'base64'));
  const lut = new Uint8Array(128);
  for (let i = 0; i < 64; i++) lut[B64.charCodeAt(i)] = i;
  let len = s.length;
  while (len > 0 && s.charCodeAt(len - 1) === 61) len--; // '='
  const out = new Uint8Array((len * 3) >> 2);
  let o = 0;
  for (let i = 0; i < len; i += 4) {
    const a = lut[s.charCodeAt(i)]!;
    const b = lut[s.charCodeAt(i + 1)]!;
    const c = i + 2 < len ? lut[s.charCodeAt(i + 2)]! : 0;
    const d = i + 3 < len ? lut[s.charCodeAt(i + 3)]! : 0;
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = v >>> 16;
    if (o < out.length) out[o++] = (v >>> 8) & 255;
    if (o < out.length) out[o++] = v & 255;
  }
  return out;
}
