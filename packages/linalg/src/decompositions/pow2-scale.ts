/**
 * The exponent e with 2^e ≤ max|xᵢ| < 2^(e+1), or 0 for an all-zero (or empty) array. Dividing by 2^e
 * is exact, so decompositions can run on entries of order 1 and scale back without rounding: the QR
 * iterations' negligibility tests (absolute thresholds near 2^-966) misbehave on inputs far from 1.
 */
export function pow2Exponent(x: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]!);
    if (a > max) max = a;
  }
  return pow2ExponentOf(max);
}

/** The exponent e with 2^e ≤ x < 2^(e+1) for x > 0, or 0 for x = 0. */
export function pow2ExponentOf(x: number): number {
  if (x === 0) return 0;
  let e = Math.floor(Math.log2(x));
  // log2 can be off by one near powers of two.
  if (pow2(e) > x) e--;
  else if (pow2(e + 1) <= x) e++;
  return e;
}

/** 2^e for any integer e in [-1074, 1023], built from two finite factors. */
export function pow2(e: number): number {
  if (e < -1000) return 2 ** -1000 * 2 ** (e + 1000);
  return 2 ** e;
}

/** x ← x·2^-e in place (exact unless entries underflow far below the largest). */
export function scaleByPow2(x: Float64Array, e: number): void {
  if (e === 0) return;
  // Two factors keep each one finite for e beyond ±1000.
  const half = Math.trunc(e / 2);
  const f1 = pow2(-half);
  const f2 = pow2(-(e - half));
  for (let i = 0; i < x.length; i++) x[i] = x[i]! * f1 * f2;
}

/**
 * x ← x·2^p in place for any integer p (steps of at most 2^±1000 keep every factor finite, so results
 * that overflow or underflow do so as the true product would, and 0 stays 0).
 */
export function mulPow2(x: Float64Array, p: number): void {
  while (p !== 0) {
    const step = Math.max(-1000, Math.min(1000, p));
    const f = 2 ** step;
    for (let i = 0; i < x.length; i++) x[i] = x[i]! * f;
    p -= step;
  }
}
