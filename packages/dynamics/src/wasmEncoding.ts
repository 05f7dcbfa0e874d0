// The few WebAssembly binary-format encoders the hand-assembled SIMD kernels share.

/** Unsigned LEB128 encoding of a non-negative integer (section sizes, indices, memory offsets). */
export function uleb(v: number): number[] {
  const out: number[] = [];
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 encoding of an integer (i32.const operands). */
export function sleb(v: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/** A module section: id, byte length, body. */
export function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

/** A length-prefixed ASCII name (exports, imports). */
export function wasmName(s: string): number[] {
  return [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
}

/** The little-endian bytes of a float64 (f64.const operands). */
export function f64bytes(x: number): number[] {
  return Array.from(new Uint8Array(new Float64Array([x]).buffer));
}
