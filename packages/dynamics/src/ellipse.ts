import { DescentError, assertSize } from '@descent/linalg';
import { requireFinite, requireFiniteVector, requireStepSize } from './validate.js';

/**
 * The unregularized convergence region of scalar–vector factorization [RECON derivation, spec §b.2;
 * "an ellipse up to measure zero" is a third-party summary of the paper]: for 0 < η|y| < 2,
 * E(θ) = η‖u+v‖²/(4(2+η|y|)) + η‖u−v‖²/(4(2−η|y|)) (with v ↦ −v for y < 0). GD converges for
 * almost every start with E < 1 (η < 1/|y|), and E = 1 is invariant, carrying the tripling map
 * t ↦ t(3−4t)². Throws `DOMAIN` outside 0 < η|y| < 2.
 *
 * @example
 * ```ts
 * ellipseValue(new Float64Array([0, 0]), 1, 0.5);
 * // 0
 * ```
 */
export function ellipseValue(theta: Float64Array, y: number, eta: number): number {
  const where = 'ellipseValue';
  requireFinite(y, where, 'y');
  requireStepSize(eta, where);
  requireFiniteVector(theta, where, 'theta');
  if (theta.length < 2 || theta.length % 2) throw new DescentError('SHAPE_MISMATCH', where, `theta must be (u, v) of even length, got ${theta.length}`);
  const c = eta * Math.abs(y);
  if (!(c > 0 && c < 2)) throw new DescentError('DOMAIN', where, `needs 0 < η|y| < 2, got ${c}`);
  const d = theta.length / 2;
  const sg = y < 0 ? -1 : 1;
  let ss = 0;
  let mm = 0;
  for (let i = 0; i < d; i++) {
    const u = theta[i]!;
    const v = sg * theta[d + i]!;
    ss += (u + v) ** 2;
    mm += (u - v) ** 2;
  }
  return (eta * ss) / (4 * (2 + c)) + (eta * mm) / (4 * (2 - c));
}

/**
 * The boundary dynamics t ↦ t(3 − 4t)² on the invariant ellipse (t = sin²φ turns it into φ ↦ 3φ):
 * chaotic with Lyapunov exponent log 3 [RECON, spec §b.2].
 *
 * @example
 * ```ts
 * triplingMap(0.5);
 * // 0.5
 * ```
 */
export function triplingMap(t: number): number {
  return t * (3 - 4 * t) ** 2;
}

/**
 * The Lyapunov exponent of {@link triplingMap} along an orbit from t₀: the mean of log|f′(t)| with
 * f′(t) = (3 − 4t)(3 − 12t). Round-off makes float orbits leave (0, 1) rarely; such an orbit is
 * restarted from a deterministic irrational-ish point. Tends to log 3 ≈ 1.0986.
 *
 * @example
 * ```ts
 * triplingLyapunov(0.1234567, 100000).toFixed(2);
 * // '1.10'
 * ```
 */
export function triplingLyapunov(t0: number, n: number): number {
  if (!(t0 > 0 && t0 < 1)) throw new DescentError('DOMAIN', 'triplingLyapunov', `t0 must lie in (0, 1), got ${t0}`);
  // n is an iteration count: a size within the allocation limit (Infinity would never return).
  assertSize(n, 'triplingLyapunov', 'n');
  if (n === 0) throw new DescentError('DOMAIN', 'triplingLyapunov', 'n must be at least 1');
  let t = t0;
  let s = 0;
  let restarts = 0;
  for (let i = 0; i < n; i++) {
    const d = Math.abs((3 - 4 * t) * (3 - 12 * t));
    s += Math.log(d > 0 ? d : Number.MIN_VALUE);
    t = triplingMap(t);
    if (!(t > 1e-12 && t < 1 - 1e-12)) t = (Math.SQRT2 * ++restarts) % 1 || 0.5;
  }
  return s / n;
}
