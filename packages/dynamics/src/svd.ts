import { type Matrix, matrix } from '@descent/linalg';

/** A thin singular value decomposition A = U diag(s) Vᵀ with s descending. */
export interface ThinSvd {
  /** m×r, orthonormal columns. */
  readonly u: Matrix;
  /** r singular values, descending. */
  readonly s: Float64Array;
  /** n×r, orthonormal columns. */
  readonly v: Matrix;
}

/**
 * Thin SVD by one-sided Jacobi (Hestenes) rotations, r = min(m, n); accurate to a few ulps of ‖A‖
 * for the small matrices used here. Kept local although `@descent/linalg` now has `svd`: that one
 * throws NOT_CONVERGED on matrices with entries near the underflow threshold (e.g. 1e-306), which the
 * laws' generators produce; Jacobi has no such failure mode.
 *
 * @example
 * ```ts
 * thinSvd(fromRows([[3, 0], [0, -2]])).s;
 * // Float64Array [3, 2]
 * ```
 */
export function thinSvd(a: Matrix): ThinSvd {
  const tall = a.rows >= a.cols;
  const m = tall ? a.rows : a.cols;
  const n = tall ? a.cols : a.rows;
  // W is m×n column-major (column j at j*m) so rotations touch contiguous memory.
  const w = new Float64Array(m * n);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < a.cols; j++) {
      const val = a.data[i * a.cols + j]!;
      if (tall) w[j * m + i] = val;
      else w[i * m + j] = val;
    }
  }
  const vv = new Float64Array(n * n);
  for (let j = 0; j < n; j++) vv[j * n + j] = 1;
  for (let sweep = 0; sweep < 80; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let al = 0;
        let be = 0;
        let ga = 0;
        for (let i = 0; i < m; i++) {
          const x = w[p * m + i]!;
          const y = w[q * m + i]!;
          al += x * x;
          be += y * y;
          ga += x * y;
        }
        if (ga === 0 || Math.abs(ga) <= 1e-15 * Math.sqrt(al * be)) continue;
        rotated = true;
        const zeta = (be - al) / (2 * ga);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < m; i++) {
          const x = w[p * m + i]!;
          const y = w[q * m + i]!;
          w[p * m + i] = c * x - s * y;
          w[q * m + i] = s * x + c * y;
        }
        for (let i = 0; i < n; i++) {
          const x = vv[p * n + i]!;
          const y = vv[q * n + i]!;
          vv[p * n + i] = c * x - s * y;
          vv[q * n + i] = s * x + c * y;
        }
      }
    }
    if (!rotated) break;
  }
  const norms = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += w[j * m + i]! * w[j * m + i]!;
    norms[j] = Math.sqrt(s);
  }
  const order = Array.from({ length: n }, (_, j) => j).sort((i, j) => norms[j]! - norms[i]!);
  const sv = new Float64Array(n);
  const left = new Float64Array(m * n); // m×n row-major
  const right = new Float64Array(n * n); // n×n row-major
  order.forEach((j, col) => {
    const sj = norms[j]!;
    sv[col] = sj;
    for (let i = 0; i < m; i++) left[i * n + col] = sj > 0 ? w[j * m + i]! / sj : 0;
    for (let i = 0; i < n; i++) right[i * n + col] = vv[j * n + i]!;
  });
  // Left vectors of tiny or zero singular values are inaccurate or undefined: re-orthonormalize all of
  // them by modified Gram–Schmidt in order of decreasing σ (the leading ones are accurate, so they are
  // barely touched), completing with standard basis vectors where a column vanishes.
  for (let col = 0; col < n; col++) {
    for (let attempt = 0; attempt <= m; attempt++) {
      if (attempt > 0) for (let i = 0; i < m; i++) left[i * n + col] = i === attempt - 1 ? 1 : 0;
      for (let pass = 0; pass < 2; pass++) {
        for (let c = 0; c < col; c++) {
          let d = 0;
          for (let i = 0; i < m; i++) d += left[i * n + c]! * left[i * n + col]!;
          for (let i = 0; i < m; i++) left[i * n + col] = left[i * n + col]! - d * left[i * n + c]!;
        }
      }
      let nn = 0;
      for (let i = 0; i < m; i++) nn += left[i * n + col]! ** 2;
      if (nn > 0.25 || (attempt === 0 && nn > 1e-20 && sv[col]! > 0)) {
        const inv = 1 / Math.sqrt(nn);
        for (let i = 0; i < m; i++) left[i * n + col] = left[i * n + col]! * inv;
        break;
      }
    }
  }
  const lm = matrix(m, n, left);
  const rm = matrix(n, n, right);
  return tall ? { u: lm, s: sv, v: rm } : { u: rm, s: sv, v: lm };
}
