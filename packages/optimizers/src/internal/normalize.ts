/** Default flush level of {@link normalizeByPowerOfTwo} for SVD-based directions. */
export const SVD_FLUSH = 2 ** -70;

/**
 * Copies `src` into `dst` scaled by a power of two so that the largest magnitude lies in [1, 2), and
 * returns the exponent e with src ≈ dst·2^e (power-of-two scaling is exact). Entries below `flush`
 * (relative to the largest) are set to zero. Returns 0 and zero-fills for an all-zero input.
 *
 * Why: EGD's randomized SVD (products G·Ω and power iterations lose digits on subnormal input) and
 * REG's RACS balancing (squares of entries under- or overflow) are computed at unit scale; both are
 * scale-invariant. linalg's svd and polar factor prescale by a power of two themselves, so the
 * polar-factor paths (Muon 'svd', EGD 'pinv' and 'clamp') call them directly. Entries below 2^−70 ≈
 * 8e−22 of the largest move singular values by less than 1e−21·‖G‖, far below rounding.
 */
export function normalizeByPowerOfTwo(src: Float64Array, dst: Float64Array, flush = SVD_FLUSH): number {
  let max = 0;
  for (let i = 0; i < src.length; i++) {
    const a = Math.abs(src[i]!);
    if (a > max) max = a;
  }
  if (max === 0) {
    dst.fill(0);
    return 0;
  }
  const e = Math.floor(Math.log2(max));
  // Two factors so that neither 2^−e nor the intermediate overflows for |e| up to 1074.
  const half = Math.trunc(-e / 2);
  const c1 = 2 ** half;
  const c2 = 2 ** (-e - half);
  for (let i = 0; i < src.length; i++) {
    const v = src[i]! * c1 * c2;
    dst[i] = Math.abs(v) < flush ? 0 : v;
  }
  return e;
}
