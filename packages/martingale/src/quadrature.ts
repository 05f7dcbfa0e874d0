import { assertKnownKeys, DescentError } from '@descent/linalg';

/**
 * ∫₀¹ f by tanh-sinh (double-exponential) quadrature, refining the step until two levels agree to
 * `tol` (relative to max(1, |integral|)). Abscissae are computed as 1/(1 + e^{-π sinh t}) so points near 0 keep full
 * relative accuracy: integrable endpoint singularities such as ε p^(ε-1) are handled. `breakpoints`
 * split [0, 1] into pieces integrated separately (put them at narrow interior peaks). Used by the law
 * that betting functions integrate to 1.
 *
 * @example
 * ```ts
 * Math.abs(integrateUnitInterval((p) => 0.1 * p ** -0.9) - 1) < 1e-10;
 * // true
 * ```
 */
export function integrateUnitInterval(f: (p: number) => number, options: { tol?: number; maxLevel?: number; breakpoints?: ArrayLike<number> } = {}): number {
  if (typeof f !== 'function') throw new DescentError('DOMAIN', 'integrateUnitInterval', 'f must be a function');
  assertKnownKeys(options, ['tol', 'maxLevel', 'breakpoints'], 'integrateUnitInterval', 'options');
  if (options.breakpoints && options.breakpoints.length > 0) {
    // Integrate piecewise between sorted breakpoints in (0, 1): narrow interior features (a KDE
    // spike) become endpoint features, which the double-exponential rule resolves.
    const cuts = [0, ...Array.from(options.breakpoints).filter((c) => c > 0 && c < 1).sort((a, b) => a - b), 1];
    let total = 0;
    for (let i = 0; i + 1 < cuts.length; i++) {
      const a = cuts[i]!;
      const w = cuts[i + 1]! - a;
      if (w <= 0) continue;
      total += w * integrateUnitInterval((x) => f(a + w * x), { ...(options.tol !== undefined ? { tol: options.tol } : {}), ...(options.maxLevel !== undefined ? { maxLevel: options.maxLevel } : {}) });
    }
    return total;
  }
  const tol = options.tol ?? 1e-13;
  const maxLevel = options.maxLevel ?? 12;
  const T = 6.1; // e^{-π sinh 6.1} ≈ 1e-300: beyond it the abscissae underflow
  let h = 0.5;
  let sum = 0;
  // level 0: all points k h for |k h| <= T
  for (let k = -Math.floor(T / h); k * h <= T; k++) sum += term(f, k * h);
  let prev = sum * h;
  for (let level = 1; level <= maxLevel; level++) {
    h /= 2;
    // add the odd multiples of the new step
    for (let k = -Math.floor(T / h); k * h <= T; k++) if (k % 2 !== 0) sum += term(f, k * h);
    const est = sum * h;
    if (Math.abs(est - prev) < tol * Math.max(1, Math.abs(est)) && level >= 3) return est;
    prev = est;
  }
  throw new DescentError('NOT_CONVERGED', 'integrateUnitInterval', `no convergence to ${tol} after ${maxLevel} levels (last ${prev})`);
}

function term(f: (p: number) => number, t: number): number {
  const u = Math.PI * Math.sinh(t);
  const e = Math.exp(-u);
  const x = 1 / (1 + e); // p
  const xc = e / (1 + e); // 1 - p, accurate near 1
  if (x === 0 || xc === 0) return 0;
  const w = Math.PI * Math.cosh(t) * x * xc; // dp/dt
  if (w === 0) return 0;
  const fx = f(x);
  if (Number.isNaN(fx)) throw new DescentError('NON_FINITE', 'integrateUnitInterval', `integrand is NaN at p = ${x}`);
  const v = fx * w;
  // An integrable singularity can overflow f where the weight has already underflowed: that term is 0.
  return Number.isFinite(v) ? v : 0;
}
