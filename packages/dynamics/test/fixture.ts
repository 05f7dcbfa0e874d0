import { readFileSync } from 'node:fs';

// The NumPy/PyTorch reference written by scripts/fixtures/dynamics_maps.py.
export const fixture = JSON.parse(readFileSync(new URL('./fixtures/dynamics_maps.json', import.meta.url), 'utf8'));

export function decode<T>(b64: string, ctor: { new (buf: ArrayBuffer): T }): T {
  const bytes = Buffer.from(b64, 'base64');
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return new ctor(copy.buffer);
}

export function maxRelErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let e = 0;
  for (let i = 0; i < a.length; i++) e = Math.max(e, Math.abs(a[i]! - b[i]!) / (1 + Math.abs(b[i]!)));
  return e;
}
