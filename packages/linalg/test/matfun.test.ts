import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  fromRows, gemm, identity, invSqrtPsd, key, newtonSchulz, newtonSchulzInto, newtonSchulzWorkspace, normal, norm2, polar, polarInto,
  polarWorkspace, racs, racsInto, racsGong, racsGongInto, randomizedSvdInto, randomizedSvdWorkspace, singularValueMap, singularValueMapInto,
  racsGongInit, randomizedSvd, svd, woodburySolve, zeros, type Matrix,
} from '@descent/linalg';
import {
  gaussianMatrix, maxAbs, maxAbsDiff, newtonSchulzBand, newtonSchulzIsSpectral, polarIsPartialIsometry, racsBalances, rankDeficientMatrix,
  woodburyMatchesDense, thrownCode,
} from '@descent/linalg/laws';
import { loadFixture } from './fixtures.js';

interface Case { g: Matrix; ns5: Matrix; ns3: Matrix; polar: Matrix; racs_sinkhorn: Matrix; racs_oneshot: Matrix }
interface Wood { gamma: Matrix; g: number[]; lambda: number; x: number[] }
const fx = loadFixture<{ cases: Case[]; woodbury: Wood[] }>('matfun.json');
interface Sym { name: string; a: Matrix; inv_sqrt?: Matrix; ['inv_sqrt_damped_0.1']?: Matrix; eigenvalues: number[] }
const sym = loadFixture<{ symmetric: Sym[] }>('decompositions.json').symmetric;


describe('cross-check against float64 NumPy transcriptions', () => {
  test.each(fx.cases.map((c) => [`${c.g.rows}×${c.g.cols}`, c] as const))('Newton–Schulz, polar, RACS on %s', (_n, c) => {
    // Same arithmetic in a different order: agreement to ~1e-13 (five rounds of products of norm ≤ 1.2).
    expect(maxAbsDiff(newtonSchulz(c.g).data, c.ns5.data)).toBeLessThan(1e-12);
    expect(maxAbsDiff(newtonSchulz(c.g, { steps: 3 }).data, c.ns3.data)).toBeLessThan(1e-12);
    expect(maxAbsDiff(polar(c.g).data, c.polar.data)).toBeLessThan(1e-12);
    expect(maxAbsDiff(racs(c.g).data, c.racs_sinkhorn.data)).toBeLessThan(1e-10);
    expect(maxAbsDiff(racs(c.g, { variant: 'oneshot' }).data, c.racs_oneshot.data)).toBeLessThan(1e-13);
  });

  test.each(fx.woodbury.map((c) => [`N=${c.gamma.rows} d=${c.gamma.cols} λ=${c.lambda}`, c] as const))('Woodbury solve %s', (_n, c) => {
    const x = woodburySolve(c.gamma, Float64Array.from(c.g), c.lambda);
    expect(maxAbsDiff(x, c.x)).toBeLessThan(1e-9 * maxAbs(c.x));
  });

  test.each(sym.filter((s) => s.inv_sqrt).map((s) => [s.name, s] as const))('inverse square root of %s (SciPy fractional_matrix_power)', (_n, s) => {
    const top = Math.max(...s.eigenvalues);
    const bottom = Math.min(...s.eigenvalues);
    // Error of A^{-1/2} ≈ κ·ε·‖A^{-1/2}‖ for the eigen-route.
    const tol = 64 * s.a.rows * 2 ** -52 * (top / bottom) * maxAbs(s.inv_sqrt!.data);
    expect(maxAbsDiff(invSqrtPsd(s.a).data, s.inv_sqrt!.data)).toBeLessThan(tol);
  });

  test.each(sym.filter((s) => s['inv_sqrt_damped_0.1']).map((s) => [s.name, s] as const))('damped inverse square root of %s', (_n, s) => {
    expect(maxAbsDiff(invSqrtPsd(s.a, { damping: 0.1 }).data, s['inv_sqrt_damped_0.1']!.data)).toBeLessThan(1e-11);
  });
});

describe('laws', () => {
  test('polar factor: rank-many unit singular values and ⟨G, polar(G)⟩ = ‖G‖_*', () => {
    fc.assert(polarIsPartialIsometry(), { numRuns: 100 });
  });
  test('Newton–Schulz equals U f(S/‖G‖_F) Vᵀ', () => {
    fc.assert(newtonSchulzIsSpectral(), { numRuns: 100 });
  });
  test('Newton–Schulz lands in [0.68, 1.21] when normalised σ ≥ 2e-3', () => {
    fc.assert(newtonSchulzBand(), { numRuns: 100 });
  });
  test('RACS-sinkhorn balances rows and columns, keeps signs, ignores diagonal scalings', () => {
    fc.assert(racsBalances(), { numRuns: 100 });
  });
  test('Woodbury equals the dense solve', () => {
    fc.assert(woodburyMatchesDense(), { numRuns: 100 });
  });
});

describe('matrix function details', () => {
  test('polar maps null directions to zero (true pseudo-inverse, no clamp amplification)', () => {
    fc.assert(
      fc.property(rankDeficientMatrix(), (g) => {
        const f = svd(g);
        const p = polar(g);
        // For any null vector w of Gᵀ side (columns of V beyond the rank), p·w = 0.
        const k = f.s.length;
        for (let r = f.rank; r < k; r++) {
          const w = Float64Array.from({ length: g.cols }, (_, i) => f.v.data[i * k + r]!);
          const pw = gemm(p, { rows: g.cols, cols: 1, data: w });
          if (maxAbs(pw.data) > 1e-10) return false;
        }
        return true;
      }),
      { numRuns: 50 },
    );
  });

  test('Newton–Schulz: odd, transpose-equivariant, zero in zero out, Into matches, scale invariant', () => {
    fc.assert(
      fc.property(gaussianMatrix({ maxRows: 8, maxCols: 8 }), fc.double({ min: 0.01, max: 100, noNaN: true }), (g, c) => {
        const o = newtonSchulz(g, { eps: 0 });
        const neg = newtonSchulz({ ...g, data: g.data.map((v) => -v) }, { eps: 0 });
        const t = { rows: g.cols, cols: g.rows, data: new Float64Array(g.data.length) };
        for (let i = 0; i < g.rows; i++) for (let j = 0; j < g.cols; j++) t.data[j * g.rows + i] = g.data[i * g.cols + j]!;
        const ot = newtonSchulz(t, { eps: 0 });
        const scaled = newtonSchulz({ ...g, data: g.data.map((v) => c * v) }, { eps: 0 });
        const into = newtonSchulzInto(g, zeros(g.rows, g.cols), { eps: 0 });
        const tol = 1e-10 * Math.max(1, maxAbs(o.data));
        let transposeOk = true;
        for (let i = 0; i < g.rows; i++) for (let j = 0; j < g.cols; j++) transposeOk &&= Math.abs(ot.data[j * g.rows + i]! - o.data[i * g.cols + j]!) <= tol;
        return (
          maxAbsDiff(neg.data, o.data.map((v) => -v)) === 0 &&
          transposeOk &&
          maxAbsDiff(scaled.data, o.data) <= tol &&
          maxAbsDiff(into.data, o.data) === 0
        );
      }),
      { numRuns: 80 },
    );
    expect(Array.from(newtonSchulz(zeros(3, 2), { eps: 0 }).data).every((v) => v === 0)).toBe(true);
  });

  test('RACS rank-one input gives sign(a)·sign(b)ᵀ; oneshot does not balance in general', () => {
    const a = [1.5, -2, 0.25];
    const b = [3, -0.5];
    const m = fromRows(a.map((x) => b.map((y) => x * y)));
    expect(maxAbsDiff(racs(m).data, a.flatMap((x) => b.map((y) => Math.sign(x) * Math.sign(y))))).toBeLessThan(1e-12);
    const g = { rows: 4, cols: 6, data: normal(key(1), 24) };
    const o = racs(g, { variant: 'oneshot' });
    const rowNorms = [0, 1, 2, 3].map((i) => norm2(o.data.subarray(i * 6, i * 6 + 6)));
    expect(Math.max(...rowNorms) - Math.min(...rowNorms)).toBeGreaterThan(1e-3);
  });

  test('subnormal inputs: RACS and Newton–Schulz stay finite', () => {
    const tiny = fromRows([[3e-320, 1e-320], [2e-320, 4e-320]]);
    const r = racs(tiny);
    // Balanced like its normal-range twin (entries ×1e300), up to the ~1e-4 relative spacing of
    // subnormals at 1e-320.
    expect(maxAbsDiff(r.data, racs(fromRows([[3e-20, 1e-20], [2e-20, 4e-20]])).data)).toBeLessThan(1e-3);
    expect(racs(tiny, { variant: 'oneshot' }).data.every(Number.isFinite)).toBe(true);
    expect(newtonSchulz(tiny, { eps: 0 }).data.every(Number.isFinite)).toBe(true);
    expect(thrownCode(() => racs(zeros(2, 2)))).toBe('DOMAIN');
    // Regression: 1e-200² underflows; the row is not zero and must balance like any other.
    for (const variant of ['sinkhorn', 'oneshot'] as const) {
      expect(racs(fromRows([[1e-200, 3e-200], [2e-200, 1e-200]]), { variant }).data.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
    }
    // [[1, 1e-200], [1, 1]] squared has no total support (1e-400 underflows, and even in exact arithmetic
    // the balancing scalings diverge like O(1/k)): a fixed iteration count stays finite, iterating to
    // tolerance reports NOT_CONVERGED, and oneshot is finite.
    const wide = fromRows([[1, 1e-200], [1, 1]]);
    expect(racs(wide, { iterations: 50 }).data.every(Number.isFinite)).toBe(true);
    expect(racs(wide, { variant: 'oneshot' }).data.every(Number.isFinite)).toBe(true);
    expect(thrownCode(() => racs(wide))).toBe('NOT_CONVERGED');
    // Reported by optimizers: column 1 of [1, 1e-200] squared underflows and looked like a zero column.
    expect(Array.from(racs(fromRows([[1, 1e-200]])).data)).toEqual([1, 1]);
    // oneshot: R = M/√(r_i c_j) with r = 1, c = (1, 1e-200): (1, −1e-200/1e-100).
    const one = racs(fromRows([[1, -1e-200]]), { variant: 'oneshot' }).data;
    expect(one[0]).toBe(1);
    expect(Math.abs(one[1]! / -1e-100 - 1)).toBeLessThan(1e-15);
    const bal = racs(fromRows([[1, 1e-200], [1e-150, 1]]));
    expect(Math.abs(norm2(bal.data.subarray(0, 2)) - Math.SQRT2)).toBeLessThan(1e-12);
  });

  test('RACS-sinkhorn converges on nearly decomposable matrices (slow for plain Sinkhorn)', () => {
    // Plain Sinkhorn's linear rate tends to 1 as these approach a triangular or block-diagonal pattern:
    // each needed more than the default 1000 iterations (the first, found by fast-check, ~3000).
    const cases = [
      [[1.069907994524242, -0.004655603294996805], [-1.3014332200131515, 1.7066711188494987]],
      [[1, 1e-3], [-1.2, 1.7]],
      [[1, 1e-3, 1e-3], [0.7, 1.3, -1e-3], [-0.4, 0.9, 1.1]],
      [[1, 2, 1e-2, -1e-2], [0.5, -1, 1e-2, 1e-2], [1e-2, 1e-2, 1, 0.3], [-1e-2, 1e-2, 0.4, -1]],
      [[1, 2, 1e-8, -1e-8], [0.5, -1, 1e-8, 1e-8], [1e-8, 1e-8, 1, 0.3], [-1e-8, 1e-8, 0.4, -1]],
      [[1, 1e-150], [-1.2, 1.7]],
    ].map(fromRows);
    for (const m of cases) {
      const r = racs(m);
      const { rows: A, cols: B } = m;
      for (let i = 0; i < A; i++) expect(Math.abs(norm2(r.data.subarray(i * B, (i + 1) * B)) / Math.sqrt(B) - 1)).toBeLessThan(1e-12);
      for (let j = 0; j < B; j++) {
        let s = 0;
        for (let i = 0; i < A; i++) s += r.data[i * B + j]! ** 2;
        expect(Math.abs(Math.sqrt(s / A) - 1)).toBeLessThan(1e-12);
      }
      // R = D₁·M·D₂ (positive diagonals): log(R/M) has rank one. With the balancing this pins R down,
      // since a matrix with total support has exactly one balanced diagonal equivalent.
      const l = (i: number, j: number) => Math.log(r.data[i * B + j]! / m.data[i * B + j]!);
      for (let i = 1; i < A; i++) for (let j = 1; j < B; j++) expect(Math.abs(l(i, j) - l(i, 0) - l(0, j) + l(0, 0))).toBeLessThan(1e-12);
    }
    // Where plain Sinkhorn does converge in reach, both agree.
    const slow = cases[3]!;
    expect(maxAbsDiff(racs(slow).data, racs(slow, { iterations: 100_000 }).data)).toBeLessThan(1e-12);
  });

  test('RACS fixed iterations: 50 iterations balance a Gaussian matrix to 1e-8', () => {
    const g = { rows: 5, cols: 7, data: normal(key(2), 35) };
    const r = racs(g, { iterations: 50 });
    for (let i = 0; i < 5; i++) expect(Math.abs(norm2(r.data.subarray(i * 7, i * 7 + 7)) - Math.sqrt(7))).toBeLessThan(1e-8);
  });

  test('RACS-gong: the update norm grows by at most γ per step, and the state is not mutated', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 1e9 }), (m, n, seed) => {
        let st = racsGongInit(m, n);
        let prevTheta = 0;
        for (let t = 0; t < 6; t++) {
          const g = { rows: m, cols: n, data: normal(key(seed + t), m * n, 0, 10 ** ((t % 3) - 1)) };
          const before = Array.from(st.s);
          const { out, state } = racsGong(st, g);
          if (Array.from(st.s).some((v, i) => v !== before[i])) return false;
          const nrm = norm2(out.data);
          if (t > 0 && nrm > 1.01 * prevTheta * (1 + 1e-12)) return false;
          prevTheta = state.theta;
          st = state;
        }
        return st.t === 6;
      }),
      { numRuns: 50 },
    );
  });

  test('singularValueMap: f(σ) = 1 is the polar factor, the clamp is U·diag(min(1, σ/c))·Vᵀ, f(σ) = σ gives G back', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 1e9 }), (m, n, seed) => {
        const g = { rows: m, cols: n, data: normal(key(seed), m * n) };
        const scale = maxAbs(g.data);
        if (maxAbsDiff(singularValueMap(g, (s) => (s > 0 ? 1 : 0)).data, polar(g, { rcond: 0 }).data) > 1e-13) return false;
        if (maxAbsDiff(singularValueMap(g, (s) => s).data, g.data) > 1e-13 * scale * Math.max(m, n)) return false;
        // The clamp through the workspace path equals the dense formula from svd().
        const c = 0.7;
        const f = svd(g);
        const k = Math.min(m, n);
        const dense = new Float64Array(m * n);
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let r = 0; r < k; r++) dense[i * n + j] += f.u.data[i * k + r]! * Math.min(1, f.s[r]! / c) * f.v.data[j * k + r]!;
        const out = zeros(m, n);
        singularValueMapInto(g, out, (s) => s / Math.max(s, c), { workspace: polarWorkspace(m, n) });
        return maxAbsDiff(out.data, dense) <= 1e-13 * Math.max(m, n);
      }),
      { numRuns: 60 },
    );
    // A non-finite f(σ) is NON_FINITE and leaves out as it was.
    const out = zeros(2, 2);
    expect(thrownCode(() => singularValueMapInto(fromRows([[1, 2], [3, 4]]), out, (s) => (s > 1 ? Infinity : 0)))).toBe('NON_FINITE');
    expect(Array.from(out.data)).toEqual([0, 0, 0, 0]);
    expect(thrownCode(() => singularValueMap(fromRows([[1]]), 3 as never))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => singularValueMap(fromRows([[1]]), (s) => s, { worksapce: 1 } as never))).toBe('INVALID_CONFIG');
  });

  test('randomizedSvdInto equals randomizedSvd bit for bit and reuses its workspace', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), (m, n, seed, q, p) => {
          const k = 1 + (seed % Math.min(m, n));
          const ws = randomizedSvdWorkspace(m, n, k, p);
          const same = (x: Float64Array, y: Float64Array) => x.length === y.length && x.every((v, i) => Object.is(v, y[i]));
          for (const s of [seed, seed + 1]) {
            const a = { rows: m, cols: n, data: normal(key(s), m * n) };
            const ref = randomizedSvd(a, k, key(s + 7), { powerIterations: q, oversample: p });
            const got = randomizedSvdInto(a, k, key(s + 7), { powerIterations: q, oversample: p, workspace: ws });
            if (!same(got.u.data, ref.u.data) || !same(got.v.data, ref.v.data) || !same(got.s, ref.s) || got.rank !== ref.rank) return false;
          }
          return true;
        }),
      { numRuns: 60 },
    );
    const ws = randomizedSvdWorkspace(3, 3, 2);
    expect(thrownCode(() => randomizedSvdInto(fromRows([[1, 2], [3, 4]]), 2, key(0), { workspace: ws }))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => randomizedSvdInto(zeros(3, 3), 1, key(0), { workspace: ws }))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => randomizedSvdInto(zeros(3, 3), 2, key(0), { workspace: ws, oversample: 1 }))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => randomizedSvdWorkspace(3, 3, 4))).toBe('INVALID_CONFIG');
  });

  test('racsGongInto equals racsGong bit for bit, also updating a state in place and overwriting G', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 1e9 }), (m, n, seed) => {
        let pure = racsGongInit(m, n);
        const inPlace = racsGongInit(m, n);
        let theta = 0;
        let t = 0;
        for (let step = 0; step < 5; step++) {
          const g = { rows: m, cols: n, data: normal(key(seed + step), m * n, 0, 10 ** ((step % 3) - 1)) };
          const r = racsGong(pure, g);
          // In place: the EMAs overwrite the state's own arrays, the update overwrites G.
          const res = racsGongInto({ ...inPlace, theta, t }, g, g, { s: inPlace.s, q: inPlace.q });
          ({ theta, t } = res);
          const same = (a: Float64Array, b: Float64Array) => a.every((v, i) => Object.is(v, b[i]));
          if (!same(g.data, r.out.data) || !same(inPlace.s, r.state.s) || !same(inPlace.q, r.state.q)) return false;
          if (!Object.is(theta, r.state.theta) || t !== r.state.t) return false;
          pure = r.state;
        }
        return true;
      }),
      { numRuns: 50 },
    );
    const st = racsGongInit(2, 2);
    const g = fromRows([[1, 2], [3, 4]]);
    expect(thrownCode(() => racsGongInto({ ...st, s: new Float64Array(3) }, g, zeros(2, 2), { s: new Float64Array(2), q: new Float64Array(2) }))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => racsGongInto(st, g, zeros(2, 3), { s: new Float64Array(2), q: new Float64Array(2) }))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => racsGongInto(st, g, zeros(2, 2), { s: new Float64Array(2), q: new Float64Array(1) }))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => racsGongInto({ ...st, t: -1 }, g, zeros(2, 2), { s: new Float64Array(2), q: new Float64Array(2) }))).toBe('INVALID_STATE');
  });

  test('RACS-gong limiter holds for tiny gradients whose squares underflow', () => {
    // Regression: a 5×1 gradient of size ~1e-166 made the plain sum of squares underflow to 0.
    let st = racsGongInit(5, 1);
    let prevTheta = 0;
    for (let t = 0; t < 6; t++) {
      const g = { rows: 5, cols: 1, data: new Float64Array(5) };
      g.data[(t * 2) % 5] = (t % 2 ? -4.5e-166 : 4.7e-166) * (t === 5 ? 2.7 : 1);
      const { out, state } = racsGong(st, g);
      if (t > 0) expect(norm2(out.data)).toBeLessThanOrEqual(1.01 * prevTheta * (1 + 1e-12));
      prevTheta = state.theta;
      st = state;
    }
  });

  test('randomized SVD with k ≥ rank equals the exact SVD', () => {
    fc.assert(
      fc.property(rankDeficientMatrix({ minRows: 4, minCols: 4 }), fc.integer({ min: 0, max: 1e9 }), (g, seed) => {
        const f = svd(g);
        if (f.rank === 0) return true;
        const r = randomizedSvd(g, f.rank, key(seed), { powerIterations: 2 });
        return maxAbsDiff(r.s, f.s.subarray(0, f.rank)) <= 1e-10 * f.s[0]!;
      }),
      { numRuns: 50 },
    );
  });

  test('inverse square root: (A+λI)^{-1/2} squared inverts A+λI', () => {
    const g = { rows: 6, cols: 4, data: normal(key(4), 24) };
    const a = gemm(g, g, { transA: true });
    const r = invSqrtPsd(a, { damping: 0.5 });
    const damped = { ...a, data: a.data.slice() };
    for (let i = 0; i < 4; i++) damped.data[i * 4 + i] += 0.5;
    const prod = gemm(gemm(r, r), damped);
    expect(maxAbsDiff(prod.data, identity(4).data)).toBeLessThan(1e-12);
  });
});

/** Runs `fn` with the global Float64Array constructor wrapped to count `new Float64Array(...)` calls. */
function countAllocations(fn: () => void): number {
  const original = globalThis.Float64Array;
  let count = 0;
  globalThis.Float64Array = new Proxy(original, {
    construct(target, args, newTarget) {
      count++;
      return Reflect.construct(target, args, newTarget);
    },
  });
  try {
    fn();
  } finally {
    globalThis.Float64Array = original;
  }
  return count;
}

describe('Into variants with workspaces', () => {
  test('newtonSchulzInto and polarInto with a reused workspace equal the allocating versions exactly', () => {
    fc.assert(
      fc.property(gaussianMatrix({ maxRows: 9, maxCols: 9 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 1e9 }), (g, steps, seed) => {
        const nsWs = newtonSchulzWorkspace(g.rows, g.cols);
        const pWs = polarWorkspace(g.rows, g.cols);
        const out = zeros(g.rows, g.cols);
        // Two different matrices through the same workspace: nothing from the first leaks into the second.
        const g2 = { ...g, data: normal(key(seed), g.data.length) };
        for (const x of [g, g2, g]) {
          newtonSchulzInto(x, out, { steps, workspace: nsWs });
          if (maxAbsDiff(out.data, newtonSchulz(x, { steps }).data) !== 0) return false;
          polarInto(x, out, { workspace: pWs });
          if (maxAbsDiff(out.data, polar(x).data) !== 0) return false;
        }
        return true;
      }),
      { numRuns: 60 },
    );
  });

  test('rank-deficient input through a polar workspace keeps only the rank-many directions', () => {
    fc.assert(
      fc.property(rankDeficientMatrix(), (g) => {
        const out = zeros(g.rows, g.cols);
        polarInto(g, out, { workspace: polarWorkspace(g.rows, g.cols) });
        return maxAbsDiff(out.data, polar(g).data) === 0;
      }),
      { numRuns: 50 },
    );
  });

  test('a loop over newtonSchulzInto and polarInto with workspaces allocates no Float64Array', () => {
    for (const [m, n] of [[12, 5], [5, 12], [7, 7]] as const) {
      const g = { rows: m, cols: n, data: normal(key(m * n), m * n) };
      const out = zeros(m, n);
      const nsWs = newtonSchulzWorkspace(m, n);
      const pWs = polarWorkspace(m, n);
      // One warm-up call: gemm grows its module-level packing buffers to the largest size seen.
      newtonSchulzInto(g, out, { workspace: nsWs });
      polarInto(g, out, { workspace: pWs });
      const count = countAllocations(() => {
        for (let i = 0; i < 5; i++) {
          newtonSchulzInto(g, out, { workspace: nsWs });
          polarInto(g, out, { workspace: pWs });
        }
      });
      expect(count).toBe(0);
      // The counter itself works: the allocating versions are seen.
      expect(countAllocations(() => newtonSchulz(g))).toBeGreaterThan(0);
      expect(countAllocations(() => polar(g))).toBeGreaterThan(0);
    }
  });

  test('racsInto equals racs exactly with its reused scratch, and a loop of it allocates nothing', () => {
    fc.assert(
      fc.property(gaussianMatrix({ maxRows: 9, maxCols: 9 }), fc.constantFrom('sinkhorn' as const, 'oneshot' as const), (g, variant) => {
        fc.pre(g.data.every((v) => v !== 0));
        const out = zeros(g.rows, g.cols);
        // Twice through the same scratch, with a different-size call in between.
        racsInto(g, out, { variant });
        racsInto({ rows: 2, cols: 3, data: Float64Array.from([1, 2, 3, 4, 5, 6]) }, zeros(2, 3), { variant });
        racsInto(g, out, { variant });
        return maxAbsDiff(out.data, racs(g, { variant }).data) === 0;
      }),
      { numRuns: 60 },
    );
    const g = { rows: 6, cols: 5, data: normal(key(9), 30) };
    const out = zeros(6, 5);
    racsInto(g, out);
    expect(countAllocations(() => {
      for (let i = 0; i < 5; i++) racsInto(g, out);
    })).toBe(0);
    expect(thrownCode(() => racsInto(g, g))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => racsInto(g, zeros(5, 6)))).toBe('SHAPE_MISMATCH');
  });

  test('a workspace of another shape or an aliased out is a SHAPE_MISMATCH', () => {
    const g = fromRows([[1, 2, 3], [4, 5, 6]]);
    expect(thrownCode(() => newtonSchulzInto(g, zeros(2, 3), { workspace: newtonSchulzWorkspace(3, 2) }))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => polarInto(g, zeros(2, 3), { workspace: polarWorkspace(3, 2) }))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => newtonSchulzInto(g, g))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => polarInto(g, g))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => polarInto(g, zeros(3, 2)))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => polarWorkspace(0, 2))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => newtonSchulzWorkspace(1.5, 2))).toBe('INVALID_CONFIG');
  });
});

describe('bad input', () => {
  test('zero rows or columns to RACS, bad configs, non-PSD and shape errors', () => {
    expect(thrownCode(() => racs(fromRows([[1, 2], [0, 0]])))).toBe('DOMAIN');
    expect(thrownCode(() => racs(fromRows([[1, 0], [2, 0]])))).toBe('DOMAIN');
    expect(thrownCode(() => racs({ rows: 1, cols: 2, data: new Float64Array([1, NaN]) }))).toBe('NON_FINITE');
    expect(thrownCode(() => racs(fromRows([[1, 2]]), { iterations: 0 }))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => racs(fromRows([[1, 0], [1, 1]]), { maxIterations: 3 }))).toBe('NOT_CONVERGED');
    expect(thrownCode(() => newtonSchulz(fromRows([[1]]), { steps: -1 }))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => invSqrtPsd(fromRows([[1, 0], [0, -1]])))).toBe('DOMAIN');
    expect(thrownCode(() => invSqrtPsd(fromRows([[1]]), { damping: -1 }))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => woodburySolve(fromRows([[1, 2]]), new Float64Array(3), 1))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => woodburySolve(fromRows([[1, 2]]), new Float64Array(2), 0))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => randomizedSvd(fromRows([[1, 2]]), 2, key(0)))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => racsGong(racsGongInit(2, 2), fromRows([[1, 2]])))).toBe('SHAPE_MISMATCH');
  });
});
