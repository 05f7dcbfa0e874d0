import fc from 'fast-check';
import type { Matrix } from '../matrix.js';
import { gemmInto, type GemmOptions } from '../kernels/gemm.js';

/** One generated product: op(A) is m×k, op(B) is k×n, with its options and the initial C. */
export interface GemmCase {
  readonly a: Matrix;
  readonly b: Matrix;
  readonly c: Matrix;
  readonly options: GemmOptions;
}

/**
 * The reference gemm: c ← α·s + β·c (α·s when β = 0) with s = Σ_k op(A)[i,k]·op(B)[k,j] summed in
 * increasing k from +0, one rounding per multiply and per add.
 *
 * @example
 * ```ts
 * naiveGemmInto(fromRows([[1, 2]]), fromRows([[3], [4]]), zeros(1, 1)).data;
 * // Float64Array [11]
 * ```
 */
export function naiveGemmInto(a: Matrix, b: Matrix, c: Matrix, options: GemmOptions = {}): Matrix {
  const ta = options.transA ?? false;
  const tb = options.transB ?? false;
  const alpha = options.alpha ?? 1;
  const beta = options.beta ?? 0;
  const k = ta ? a.rows : a.cols;
  for (let i = 0; i < c.rows; i++) {
    for (let j = 0; j < c.cols; j++) {
      let s = 0;
      for (let q = 0; q < k; q++) s += (ta ? a.data[q * a.cols + i]! : a.data[i * a.cols + q]!) * (tb ? b.data[j * b.cols + q]! : b.data[q * b.cols + j]!);
      const o = i * c.cols + j;
      c.data[o] = beta === 0 ? alpha * s : alpha * s + beta * c.data[o]!;
    }
  }
  return c;
}

const entry = fc.oneof(
  { weight: 20, arbitrary: fc.double({ min: -4, max: 4, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 1e300, -1e-310) },
);

/**
 * Products of every transpose combination and shapes from 0 to `maxDim` (edge tiles included), with
 * α, β (often 0, 1), entries mostly in [−4, 4] and occasionally ±0, NaN, ±∞, 1e300 or subnormal.
 *
 * @example
 * ```ts
 * fc.sample(gemmCases({ maxDim: 3 }), 1).length;
 * // 1
 * ```
 */
export function gemmCases(bounds: { maxDim?: number; maxK?: number } = {}): fc.Arbitrary<GemmCase> {
  const maxDim = bounds.maxDim ?? 40;
  const dim = fc.integer({ min: 0, max: maxDim });
  return fc
    .record({
      m: dim,
      n: dim,
      k: fc.integer({ min: 0, max: bounds.maxK ?? maxDim }),
      transA: fc.boolean(),
      transB: fc.boolean(),
      alpha: fc.oneof(fc.constant(1), fc.double({ min: -3, max: 3, noNaN: true })),
      beta: fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: -3, max: 3, noNaN: true })),
    })
    .chain(({ m, n, k, transA, transB, alpha, beta }) =>
      fc
        .record({
          a: fc.array(entry, { minLength: m * k, maxLength: m * k }),
          b: fc.array(entry, { minLength: k * n, maxLength: k * n }),
          c: fc.array(entry, { minLength: m * n, maxLength: m * n }),
        })
        .map(({ a, b, c }) => ({
          a: { rows: transA ? k : m, cols: transA ? m : k, data: Float64Array.from(a) },
          b: { rows: transB ? n : k, cols: transB ? k : n, data: Float64Array.from(b) },
          c: { rows: m, cols: n, data: Float64Array.from(c) },
          options: { transA, transB, alpha, beta },
        })),
    );
}

/**
 * gemm equals the naive triple loop ({@link naiveGemmInto}) bit for bit (Object.is per entry, so NaN,
 * ±∞ and −0 included) on every transpose combination, edge tiles and α/β, for the given thread count.
 *
 * @example
 * ```ts
 * fc.check(gemmMatchesNaive({ maxDim: 9 }), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function gemmMatchesNaive(bounds: { maxDim?: number; maxK?: number; threads?: number } = {}): fc.IPropertyWithHooks<[GemmCase]> {
  return fc.property(gemmCases(bounds), ({ a, b, c, options }) => {
    const want = naiveGemmInto(a, b, { rows: c.rows, cols: c.cols, data: c.data.slice() }, options);
    const got = gemmInto(a, b, { rows: c.rows, cols: c.cols, data: c.data.slice() }, { ...options, threads: bounds.threads ?? 1 });
    for (let i = 0; i < want.data.length; i++) if (!Object.is(got.data[i], want.data[i])) return false;
    return true;
  });
}
