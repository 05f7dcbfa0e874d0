// The few WebAssembly binary-format encoders that descent's hand-assembled SIMD kernels share (gemm,
// dynamics' GD maps, optimizers' Adam step): small kernels whose code is generated at run time (tile
// shapes, unrolling) are assembled here; larger ones with many edge cases (linalg's level-2 kernels,
// topology's Rips kernel) are AssemblyScript sources compiled into committed bytes.

/**
 * Unsigned LEB128 encoding of a non-negative integer (section sizes, indices, memory offsets).
 *
 * @example
 * ```ts
 * import { uleb } from '@descent/linalg/wasm';
 * uleb(624485);
 * // [229, 142, 38]
 * ```
 */
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

/**
 * Signed LEB128 encoding of an integer (i32.const operands).
 *
 * @example
 * ```ts
 * import { sleb } from '@descent/linalg/wasm';
 * sleb(-123456);
 * // [192, 187, 120]
 * ```
 */
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

/**
 * A module section: id, byte length, body.
 *
 * @example
 * ```ts
 * import { section } from '@descent/linalg/wasm';
 * section(3, [1, 0]); // the function section of a module with one function of type 0
 * // [3, 2, 1, 0]
 * ```
 */
export function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

/**
 * A length-prefixed ASCII name (exports, imports).
 *
 * @example
 * ```ts
 * import { wasmName } from '@descent/linalg/wasm';
 * wasmName('mem');
 * // [3, 109, 101, 109]
 * ```
 */
export function wasmName(s: string): number[] {
  return [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
}

/**
 * The little-endian bytes of a float64 (f64.const operands).
 *
 * @example
 * ```ts
 * import { f64bytes } from '@descent/linalg/wasm';
 * f64bytes(1);
 * // [0, 0, 0, 0, 0, 0, 240, 63]
 * ```
 */
export function f64bytes(x: number): number[] {
  return Array.from(new Uint8Array(new Float64Array([x]).buffer));
}
