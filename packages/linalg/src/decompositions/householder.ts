import { pow2, pow2ExponentOf } from './pow2-scale.js';

/**
 * LAPACK's dlarfg on x[off], x[off+stride], …, x[off+(len−1)·stride]: returns τ and writes β (the new
 * leading entry) to `beta[0]` and v (with v₀ = 1 implied, stored entries 1…) over x. Works on a copy
 * scaled by a power of two to max|x| ≈ 1, so tiny vectors neither underflow nor overflow 1/(α − β).
 */
export function householder(x: Float64Array, off: number, stride: number, len: number, beta: Float64Array): number {
  let mx = 0;
  for (let i = 0; i < len; i++) mx = Math.max(mx, Math.abs(x[off + i * stride]!));
  beta[0] = x[off]!;
  if (mx === 0 || len <= 1) return 0;
  const sx = pow2ExponentOf(mx);
  const h1 = Math.trunc(-sx / 2);
  const f1 = pow2(h1);
  const f2 = pow2(-sx - h1);
  const alpha = x[off]! * f1 * f2;
  let xn = 0;
  for (let i = 1; i < len; i++) {
    const v = x[off + i * stride]! * f1 * f2;
    xn += v * v;
  }
  if (xn === 0) return 0;
  const nrm = Math.sqrt(alpha * alpha + xn);
  const bs = alpha >= 0 ? -nrm : nrm;
  const den = alpha - bs;
  for (let i = 1; i < len; i++) x[off + i * stride] = (x[off + i * stride]! * f1 * f2) / den;
  beta[0] = bs * pow2(sx);
  return (bs - alpha) / bs;
}
