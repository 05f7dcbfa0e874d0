import fc from 'fast-check';
import type { Matrix } from '../matrix.js';
import { svd, type SvdOptions } from '../decompositions/svd.js';
import { norm2 } from '../kernels/vector.js';
import { gaussianMatrix } from './arbitraries.js';
import { maxAbsDiff, orthonormalityError, usv } from './helpers.js';

const EPS = 2 ** -52;

/**
 * SVD reconstructs A with orthonormal factors and sorted nonnegative singular values:
 * ‖A − U·diag(s)·Vᵀ‖_max ≤ tol·‖A‖_F and |UᵀU − I|, |VᵀV − I| ≤ tol, with
 * tol = 64·max(m, n)·ε (backward-stable bidiagonalization and bidiagonal solver, either method;
 * measured errors are ~10× smaller). `options` are passed to {@link svd} (e.g. `{ method: 'qr' }`).
 *
 * @example
 * ```ts
 * [fc.check(svdReconstructs(), { numRuns: 50 }).failed, fc.check(svdReconstructs(undefined, { method: 'qr' }), { numRuns: 20 }).failed];
 * // [false, false]
 * ```
 */
export function svdReconstructs(arb: fc.Arbitrary<Matrix> = gaussianMatrix(), options: SvdOptions = {}): fc.IPropertyWithHooks<[Matrix]> {
  return fc.property(arb, (a) => {
    const f = svd(a, options);
    const tol = 64 * Math.max(a.rows, a.cols) * EPS;
    const scale = norm2(a.data);
    if (maxAbsDiff(usv(f.u, f.s, f.v).data, a.data) > tol * Math.max(scale, Number.MIN_VALUE)) return false;
    if (orthonormalityError(f.u) > tol || orthonormalityError(f.v) > tol) return false;
    for (let i = 0; i < f.s.length; i++) {
      if (!(f.s[i]! >= 0)) return false;
      if (i > 0 && f.s[i]! > f.s[i - 1]!) return false;
    }
    return true;
  });
}
