import { DescentError, type Key, key as makeKey, split, uniform, describeValue } from '@descent/linalg';
import { olsSlope } from './boxCounting.js';
import type { ScalarVectorRegion, ScalarVectorRegionConfig } from './region.js';
import { planScalarVectorRegion } from './region.js';
import { regionKernelRaw } from './scalarKernel.js';
import { createWasmRegionKernel } from './wasmClassify.js';
import { requireInteger, requirePositive, requireU8, requireOptions } from './validate.js';

/**
 * Among converged pixels, the fraction with a converged 4-neighbour of a different minimizer label:
 * a resolution-level measure of sensitive dependence of the selected minimizer on the start
 * [RECON, spec §f]. It grows toward the critical step size (0.09, 0.15, 0.19 at η·y = 0.5, 0.9, 0.99
 * on 512² maps in the spec). 0 when nothing converged.
 *
 * @example
 * ```ts
 * mixedNeighbourFraction({ status: new Uint8Array([1, 1, 1]), label: new Uint8Array([1, 2, 2]), grid: squareGrid(1, 3) } as never, 3, 1);
 * // 0.6666666666666666
 * ```
 */
export function mixedNeighbourFraction(region: Pick<ScalarVectorRegion, 'status' | 'label'>, n1: number, n2: number): number {
  const where = 'mixedNeighbourFraction';
  if (region === null || typeof region !== 'object') throw new DescentError('INVALID_CONFIG', where, `region must be { status, label }, got ${describeValue(region)}`);
  const { status, label } = region;
  requireU8(status, where, 'region.status');
  requireU8(label, where, 'region.label');
  requireInteger(n1, 1, where, 'n1');
  requireInteger(n2, 1, where, 'n2');
  if (status.length !== n1 * n2 || label.length !== n1 * n2) throw new DescentError('SHAPE_MISMATCH', 'mixedNeighbourFraction', `maps must have ${n1}×${n2} pixels`);
  let conv = 0;
  let mixed = 0;
  for (let j = 0; j < n2; j++) {
    for (let i = 0; i < n1; i++) {
      const p = j * n1 + i;
      if (status[p] !== 1) continue;
      conv++;
      const l = label[p];
      const diff = (q: number): boolean => status[q] === 1 && label[q] !== l;
      if ((i > 0 && diff(p - 1)) || (i + 1 < n1 && diff(p + 1)) || (j > 0 && diff(p - n1)) || (j + 1 < n2 && diff(p + n1))) mixed++;
    }
  }
  return conv === 0 ? 0 : mixed / conv;
}

/** The uncertainty-exponent estimate of a boundary's dimension. */
export interface UncertaintyExponent {
  readonly epsilons: Float64Array;
  /** f(ε): fraction of sampled starts whose class differs from that at θ ± εe. */
  readonly fractions: Float64Array;
  /** Number of uncertain starts per ε (the events behind each fraction). */
  readonly events: Int32Array;
  /** The OLS slope α of log f against log ε (over the ε with f > 0). */
  readonly alpha: number;
  readonly alphaStandardError: number;
  /** The boundary dimension within the 2-D slice, 2 − α. */
  readonly dimension: number;
}

/**
 * The uncertainty exponent of McDonald, Grebogi, Ott and Yorke on a scalar–vector slice
 * ([RECON] recipe, spec §f): draw `samples` starts uniformly in the grid's window and a random direction
 * e for each, call a start ε-uncertain if its class differs from the class at θ + εe or θ − εe, fit
 * f(ε) ∝ ε^α; the boundary dimension is 2 − α. Classes: `'binary'` (converged or not) or `'label'`
 * (which minimizer, 0 for not converged). Less resolution-limited than box counting.
 *
 * @example
 * ```ts
 * const u = uncertaintyExponent({ y: 0.5, lambda: 0.2, eta: 1, grid: squareGrid(4, 2), maxSteps: 200 }, { samples: 2000 });
 * u.dimension > 1;
 * // true
 * ```
 */
export function uncertaintyExponent(
  cfg: ScalarVectorRegionConfig,
  options: { samples?: number; epsilons?: readonly number[]; key?: Key; classes?: 'binary' | 'label' } = {},
): UncertaintyExponent {
  const where = 'uncertaintyExponent';
  options = requireOptions(options, where);
  if (options.epsilons !== undefined && !Array.isArray(options.epsilons)) throw new DescentError('INVALID_CONFIG', where, `epsilons must be an array of numbers, got ${describeValue(options.epsilons)}`);
  const plan = planScalarVectorRegion(cfg, where);
  if (plan.slice !== undefined) throw new DescentError('INVALID_CONFIG', where, 'only the d = 1 (u, v) picture is supported; omit slice');
  const N = requireInteger(options.samples ?? 100000, 1, where, 'samples');
  const eps = (options.epsilons ?? [1e-6, 1e-5, 1e-4, 1e-3, 1e-2]).map((e) => requirePositive(e, where, 'epsilon'));
  if (eps.length < 2) throw new DescentError('INVALID_CONFIG', where, 'need at least two epsilons');
  const binary = (options.classes ?? 'label') === 'binary';
  const [k1, k2, k3] = split(options.key ?? makeKey(0), 3);
  const g = plan.grid;
  const a = uniform(k1!, N, g.lo1, g.hi1);
  const b = uniform(k2!, N, g.lo2, g.hi2);
  const ang = uniform(k3!, N, 0, 2 * Math.PI);
  const M = N * (1 + 2 * eps.length);
  const x = new Float64Array(M);
  const z = new Float64Array(M);
  for (let p = 0; p < N; p++) {
    x[p] = a[p]!;
    z[p] = b[p]!;
    const c = Math.cos(ang[p]!);
    const s = Math.sin(ang[p]!);
    eps.forEach((e, q) => {
      const o = N * (1 + 2 * q);
      x[o + p] = a[p]! + e * c;
      z[o + p] = b[p]! + e * s;
      x[o + N + p] = a[p]! - e * c;
      z[o + N + p] = b[p]! - e * s;
    });
  }
  const status = new Uint8Array(M);
  const label = new Uint8Array(M);
  const steps = new Int32Array(M);
  const kernel = (plan.simd ? createWasmRegionKernel() : undefined) ?? regionKernelRaw;
  kernel(x, z, status, label, steps, 0, M, ...plan.kernelArgs);
  const cls = (p: number): number => (binary ? (status[p] === 1 ? 1 : 0) : label[p]!);
  const events = new Int32Array(eps.length);
  const fractions = new Float64Array(eps.length);
  eps.forEach((_, q) => {
    const o = N * (1 + 2 * q);
    let c = 0;
    for (let p = 0; p < N; p++) if (cls(o + p) !== cls(p) || cls(o + N + p) !== cls(p)) c++;
    events[q] = c;
    fractions[q] = c / N;
  });
  const xs: number[] = [];
  const ys: number[] = [];
  eps.forEach((e, q) => {
    if (events[q]! > 0) {
      xs.push(Math.log(e));
      ys.push(Math.log(fractions[q]!));
    }
  });
  if (xs.length < 2) throw new DescentError('NOT_CONVERGED', where, `only ${xs.length} epsilon(s) produced uncertain starts; increase samples or epsilons`);
  const fit = olsSlope(xs, ys);
  return { epsilons: Float64Array.from(eps), fractions, events, alpha: fit.slope, alphaStandardError: fit.se, dimension: 2 - fit.slope };
}
