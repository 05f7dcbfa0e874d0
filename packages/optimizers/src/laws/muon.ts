import fc from 'fast-check';
import { gemm, svd, type Matrix } from '@descent/linalg';
import { applyTransform } from '../transform.js';
import { orthogonalizeInto, scaleByMuon, muonShapeScale, type MuonOptions } from '../muon.js';
import { fail, fromSpectrum, like, maxAbsDiff, orthogonal, singularValues, spectralCases, transposed, type SpectralCase } from './matrices.js';

const A = 3.4445, B = -4.775, C = 2.0315;
const ns = (g: Matrix, o: MuonOptions = {}) => orthogonalizeInto(g, like(g), o);

/**
 * p∘…∘p (`steps` times), p(x) = ax + bx³ + cx⁵: the scalar map NS5 applies to each normalised σ.
 *
 * @example
 * ```ts
 * import { newtonSchulzScalar } from '@descent/optimizers/laws';
 * newtonSchulzScalar(Math.SQRT1_2).toFixed(3); // what NS5 maps the 2×2 identity's singular values to
 * // '1.108'
 * ```
 */
export function newtonSchulzScalar(x: number, steps = 5, coefficients: readonly [number, number, number] = [A, B, C]): number {
  const [a, b, c] = coefficients;
  for (let k = 0; k < steps; k++) {
    const x2 = x * x;
    x = a * x + b * x2 * x + c * x2 * x2 * x;
  }
  return x;
}

function frobenius(d: Float64Array): number {
  let s = 0;
  for (const v of d) s += v * v;
  return Math.sqrt(s);
}

/**
 * Law (spec §4.1(d)1, spectral form): NS5(G) = U·f(S/(‖G‖_F + ε))·Vᵀ with f = p∘p∘p∘p∘p, evaluated by
 * SVD in float64. Singular values in [0.01, 10] with zeros; tolerance 1e-10 (spec).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { muonSpectralForm } from '@descent/optimizers/laws';
 * fc.check(muonSpectralForm(), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function muonSpectralForm() {
  return fc.property(spectralCases({ maxDim: 7, lo: 0.01, hi: 10, allowZeros: true }), (c) => {
    const g = fromSpectrum(c);
    const f = svd(g);
    const nrm = frobenius(g.data) + 1e-7;
    const k = f.s.length;
    const us = { rows: c.rows, cols: k, data: f.u.data.slice() };
    for (let i = 0; i < c.rows; i++) for (let r = 0; r < k; r++) us.data[i * k + r]! *= newtonSchulzScalar(f.s[r]! / nrm);
    const want = gemm(us, f.v, { transB: true });
    const got = ns(g);
    if (maxAbsDiff(got.data, want.data) > 1e-10) fail(`NS5 differs from U f(S) Vᵀ by ${maxAbsDiff(got.data, want.data)}`);
  });
}

/**
 * Law (spec §4.1(d)2, band): if every nonzero σ_i/‖G‖_F ≥ 2e-3, the nonzero output singular values
 * lie in [0.68, 1.21] (min of the 5-fold map there is 0.6818, max over [0, 1] is 1.2024). Exact bounds.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { muonBand } from '@descent/optimizers/laws';
 * fc.check(muonBand(), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function muonBand() {
  // σ ∈ [0.01, 1] on at most 8×8: ‖G‖_F ≤ √8, so σ/‖G‖_F ≥ 3.5e-3 ≥ 2e-3.
  return fc.property(spectralCases({ maxDim: 8, lo: 0.01, hi: 1, allowZeros: true }), (c) => {
    const rank = c.s.filter((v) => v > 0).length;
    const s = singularValues(ns(fromSpectrum(c)));
    for (let i = 0; i < rank; i++) if (!(s[i]! >= 0.68 && s[i]! <= 1.21)) fail(`σ_${i} = ${s[i]} outside [0.68, 1.21]`);
  });
}

/**
 * Law (spec §4.1(d)3, rank preserved): zero singular values stay zero. Tolerance 1e-10: the
 * construction leaves ~1e-16 noise in null directions, which NS5 amplifies by at most a⁵ ≈ 485.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { muonRankPreserved } from '@descent/optimizers/laws';
 * fc.check(muonRankPreserved(), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function muonRankPreserved() {
  return fc.property(spectralCases({ maxDim: 7, lo: 0.01, hi: 10, allowZeros: true }), (c) => {
    const rank = c.s.filter((v) => v > 0).length;
    const s = singularValues(ns(fromSpectrum(c)));
    for (let i = rank; i < s.length; i++) if (s[i]! > 1e-10) fail(`σ_${i} = ${s[i]} should be 0 (rank ${rank})`);
  });
}

/**
 * Law (spec §4.1(d)4, invariances): NS5(−G) = −NS5(G) exactly; NS5(Gᵀ) = NS5(G)ᵀ (1e-12: ‖G‖_F is
 * summed in a different order); NS5(P·G·Q) = P·NS5(G)·Q for orthogonal P, Q (1e-10).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { muonInvariances } from '@descent/optimizers/laws';
 * fc.check(muonInvariances(), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function muonInvariances() {
  return fc.property(spectralCases({ maxDim: 7, lo: 0.01, hi: 10, allowZeros: true }), fc.integer({ min: 0, max: 1_000_000 }), (c, seed) => {
    const g = fromSpectrum(c);
    const o = ns(g);
    const neg = ns({ ...g, data: g.data.map((v) => -v) });
    for (let i = 0; i < o.data.length; i++) if (!(neg.data[i] === -o.data[i]!)) fail(`NS5(−G)[${i}] = ${neg.data[i]}, −NS5(G) = ${-o.data[i]!}`);
    if (maxAbsDiff(ns(transposed(g)).data, transposed(o).data) > 1e-12) fail('NS5(Gᵀ) ≠ NS5(G)ᵀ');
    const p = orthogonal(c.rows, seed), q = orthogonal(c.cols, seed + 1);
    if (maxAbsDiff(ns(gemm(gemm(p, g), q)).data, gemm(gemm(p, o), q).data) > 1e-10) fail('NS5(PGQ) ≠ P NS5(G) Q');
  });
}

/**
 * Law (spec §4.1(d)5, scale invariance): NS5(c·G) = NS5(G) for c > 0. This holds only while
 * ‖G‖_F ≫ ε (for ‖G‖_F ≲ 1e-7 the output degenerates, NeMo PR #230), so the law runs with the
 * normalisation guard ε = 0 and c ∈ [1e-3, 1e3]; tolerance 1e-11.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { muonScaleInvariance } from '@descent/optimizers/laws';
 * fc.check(muonScaleInvariance(), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function muonScaleInvariance() {
  return fc.property(spectralCases({ maxDim: 7, lo: 0.01, hi: 10, allowZeros: true }), fc.double({ min: 1e-3, max: 1e3, noNaN: true }), (c, scale) => {
    const g = fromSpectrum(c);
    const a = ns(g, { nsEps: 0 });
    const b = ns({ ...g, data: g.data.map((v) => v * scale) }, { nsEps: 0 });
    if (maxAbsDiff(a.data, b.data) > 1e-11) fail(`NS5(cG) differs from NS5(G) by ${maxAbsDiff(a.data, b.data)}`);
  });
}

/**
 * Law (spec §4.1(d)6, momentum conventions agree): Keller Jordan's EMA momentum and torch's SGD
 * momentum differ by the positive factor (1−β) on U, so Muon's updates are identical (with the exact
 * SVD polar factor, or Newton–Schulz with guard ε = 0) over any gradient sequence. Tolerance 1e-11
 * for Newton–Schulz; 1e-11 + 1e-14·κ(U) for the SVD path, whose polar factor has condition κ(U)
 * (cases with κ > 1e6 are skipped: there the rank decision itself may differ).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { muonMomentumConventionsAgree } from '@descent/optimizers/laws';
 * fc.check(muonMomentumConventionsAgree(), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function muonMomentumConventionsAgree() {
  const runs = fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })).chain(([r, c, n]) =>
    fc.record({
      rows: fc.constant(r),
      cols: fc.constant(c),
      grads: fc.array(fc.array(fc.double({ min: -3, max: 3, noNaN: true }).filter((v) => v === 0 || Math.abs(v) > 1e-3), { minLength: r * c, maxLength: r * c }), { minLength: n, maxLength: n }),
      nesterov: fc.boolean(),
      orthogonalizer: fc.constantFrom('svd' as const, 'newton-schulz' as const),
      momentum: fc.constantFrom(0.5, 0.9, 0.95),
    }),
  );
  return fc.property(runs, (run) => {
    const beta = run.momentum;
    const U = new Float64Array(run.rows * run.cols);
    const buf = new Float64Array(run.rows * run.cols);
    const common = { nesterov: run.nesterov, orthogonalizer: run.orthogonalizer, momentum: run.momentum, nsEps: 0 } as const;
    const ema = scaleByMuon({ ...common, momentumStyle: 'ema' });
    const sgd = scaleByMuon({ ...common, momentumStyle: 'sgd' });
    const x = new Float64Array(run.rows * run.cols);
    let se = ema.init(x, [run.rows, run.cols]);
    let ss = sgd.init(x, [run.rows, run.cols]);
    for (const g of run.grads) {
      const ge = Float64Array.from(g);
      const re = applyTransform(ema, ge, se, x);
      const rs = applyTransform(sgd, ge, ss, x);
      // Tolerance. Newton–Schulz is a polynomial of U/‖U‖, so the (1−β) factor only changes rounding:
      // 1e-11. The polar factor's sensitivity is 1/σ_min(U) (relative to σ₁): tolerance 1e-14·κ(U) +
      // 1e-11, and cases with κ > 1e6 (where the rank decision σ > rcond·σ₁ may flip) are skipped.
      for (let i = 0; i < ge.length; i++) {
        buf[i] = beta * buf[i]! + ge[i]!;
        U[i] = run.nesterov ? ge[i]! + beta * buf[i]! : buf[i]!;
      }
      let tol = 1e-11;
      if (run.orthogonalizer === 'svd') {
        const sv = singularValues({ rows: run.rows, cols: run.cols, data: U }).filter((v) => v > 0);
        const kappa = sv.length === 0 ? 1 : sv[0]! / sv[sv.length - 1]!;
        fc.pre(kappa <= 1e6);
        tol += 1e-14 * kappa;
      }
      if (maxAbsDiff(re.update, rs.update) > tol) fail(`EMA and SGD momentum updates differ by ${maxAbsDiff(re.update, rs.update)} > ${tol}`);
      se = re.state;
      ss = rs.state;
    }
  });
}

/**
 * Law (spec §4.1(d)7, update RMS): for an exactly semi-orthogonal O (the SVD path) of a full-rank A×B
 * gradient, RMS(√max(1, A/B)·O) = 1/√B ('original'), RMS(√max(1, B/A)·O) = 1/√A ('optax') and
 * RMS(0.2·√max(A, B)·O) = 0.2 ('match-rms-adamw'), to 1e-12 relative; with Newton–Schulz (σ/‖G‖_F ≥
 * 2e-3) the ratio to these targets lies in the band [0.68, 1.21].
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { muonUpdateRms } from '@descent/optimizers/laws';
 * fc.check(muonUpdateRms(), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function muonUpdateRms() {
  const scales = fc.constantFrom('original' as const, 'optax' as const, 'match-rms-adamw' as const);
  return fc.property(spectralCases({ maxDim: 8, lo: 0.01, hi: 1 }), scales, (c: SpectralCase, scale) => {
    const g = fromSpectrum(c);
    const x = new Float64Array(g.data.length);
    const target = scale === 'original' ? 1 / Math.sqrt(c.cols) : scale === 'optax' ? 1 / Math.sqrt(c.rows) : 0.2;
    for (const orthogonalizer of ['svd', 'newton-schulz'] as const) {
      const t = scaleByMuon({ momentum: 0, nesterov: false, orthogonalizer, scale });
      const u = applyTransform(t, g.data, t.init(x, [c.rows, c.cols]), x).update;
      const rms = frobenius(u) / Math.sqrt(u.length);
      if (orthogonalizer === 'svd' && Math.abs(rms - target) > 1e-12 * target) fail(`RMS ${rms}, expected ${target} (${scale})`);
      if (orthogonalizer === 'newton-schulz' && !(rms >= 0.68 * target && rms <= 1.21 * target)) fail(`NS RMS ${rms} outside the band around ${target}`);
    }
    if (muonShapeScale(scale, c.rows, c.cols) <= 0) fail('non-positive scale');
  });
}
