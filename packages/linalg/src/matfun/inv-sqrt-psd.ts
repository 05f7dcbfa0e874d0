import { DescentError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { eigh } from '../decompositions/eigh.js';
import { optionalNumber, readOptions } from '../options.js';
import { assertMatrix } from '../validate.js';

/** Options of {@link invSqrtPsd}. */
export interface InvSqrtPsdOptions {
  /** λ in (A + λI)^{-1/2}. Default 0. */
  damping?: number;
  /**
   * Eigenvalues of A + λI at or below rcond·λ_max are treated as zero (their directions map to 0, a
   * pseudo-inverse root). Default n·ε.
   */
  rcond?: number;
}

/**
 * (A + λI)^{-1/2} of a symmetric positive semi-definite A via its eigendecomposition. Throws `DOMAIN`
 * when A has an eigenvalue below −√ε·‖A‖ (not PSD beyond round-off) or λ < 0.
 *
 * @example
 * ```ts
 * invSqrtPsd(fromRows([[4, 0], [0, 1]])).data;
 * // Float64Array [0.5, 0, 0, 1]
 * ```
 */
export function invSqrtPsd(a: Matrix, options: InvSqrtPsdOptions = {}): Matrix {
  const o = readOptions(options, 'invSqrtPsd');
  const damping = o.damping ?? 0;
  if (typeof damping !== 'number' || !(damping >= 0) || !Number.isFinite(damping)) {
    throw new DescentError('INVALID_CONFIG', 'invSqrtPsd', `damping must be a finite number >= 0, got ${String(damping)}`);
  }
  optionalNumber(o.rcond, 'invSqrtPsd', 'options.rcond', (v) => v >= 0, 'a finite number >= 0');
  assertMatrix(a, 'invSqrtPsd', 'A');
  const n = a.rows;
  const { values, vectors } = eigh(a);
  const top = Math.max(Math.abs(values[0] ?? 0), Math.abs(values[n - 1] ?? 0));
  if ((values[0] ?? 0) < -Math.sqrt(2 ** -52) * top) {
    throw new DescentError('DOMAIN', 'invSqrtPsd', `matrix is not positive semi-definite: smallest eigenvalue ${values[0]}`);
  }
  const rcond = o.rcond ?? n * 2 ** -52;
  const lmax = (values[n - 1] ?? 0) + damping;
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const l = Math.max(values[i]!, 0) + damping;
    w[i] = l > rcond * lmax && l > 0 ? 1 / Math.sqrt(l) : 0;
  }
  const q = vectors.data;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += q[i * n + k]! * w[k]! * q[j * n + k]!;
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
  return { rows: n, cols: n, data: out };
}
