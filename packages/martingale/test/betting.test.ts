import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { key } from '@descent/linalg';
import { betInPlace, bettingDensity, bettingStateSize, initDetector, integrateUnitInterval, normalizeBetting, resetBettingState, step, type Betting } from '@descent/martingale';
import { bettingIntegratesToOne } from '@descent/martingale/laws';
import { fixture } from './fixtures.js';

const f = fixture<{
  p: number[];
  power: Record<string, number[]>;
  gaussExp: Record<string, number[]>;
  pseq: number[];
  jumperLogM: number[];
  mixtureLogM: number[];
  pluginHistory: number[];
  pluginDensity: number[];
  pluginLogM: number[];
}>('betting.json');

function run(b: Betting, ps: number[]): number[] {
  let s = initDetector({ p: { mode: 'given' }, betting: b, threshold: 1e300, alarmOn: 'product', onAlarm: 'continue' }, key(0));
  return ps.map((p) => (s = step(s, p)).logM);
}

describe('betting functions vs NumPy/SciPy', () => {
  test('power and Gaussianized exponential densities (relative error < 1e-12, p from 1e-300 to 1 - 1e-9)', () => {
    for (const [eps, vals] of Object.entries(f.power)) {
      const b = normalizeBetting({ kind: 'power', eps: Number(eps) });
      f.p.forEach((p, i) => expect(Math.abs(bettingDensity(b, new Float64Array(0), p) / vals[i]! - 1)).toBeLessThan(1e-12));
    }
    for (const [lambda, vals] of Object.entries(f.gaussExp)) {
      const b = normalizeBetting({ kind: 'gaussExp', lambda: Number(lambda) });
      f.p.forEach((p, i) => expect(Math.abs(bettingDensity(b, new Float64Array(0), p) / vals[i]! - 1)).toBeLessThan(1e-12));
    }
  });
  test('simple jumper wealth = linear-space un-normalized capitals of Vovk et al. Alg. 1 (J = 0.01)', () => {
    run({ kind: 'jumper', J: 0.01 }, f.pseq).forEach((v, i) => expect(v).toBeCloseTo(f.jumperLogM[i]!, 12));
  });
  test('simple mixture wealth = log mean_j Π g_eps_j over linspace(0.01, 1, 100)', () => {
    run({ kind: 'mixture' }, f.pseq).forEach((v, i) => expect(v).toBeCloseTo(f.mixtureLogM[i]!, 11));
  });
  test('plug-in KDE density (reflection, per-point normalization, shrinkage) and its wealth with window 30', () => {
    const b = normalizeBetting({ kind: 'plugin', burnIn: 10, window: 100 });
    const bet = resetBettingState(b, new Float64Array(bettingStateSize(b)));
    for (const p of f.pluginHistory) betInPlace(b, bet, p, 0);
    f.p.forEach((p, i) => expect(bettingDensity(b, bet, p)).toBeCloseTo(f.pluginDensity[i]!, 12));
    run({ kind: 'plugin', burnIn: 10, window: 30 }, f.pseq).forEach((v, i) => expect(v).toBeCloseTo(f.pluginLogM[i]!, 11));
  });
  test('gaussMixture: the product of its bets telescopes to confseq\'s normal mixture m(S_t, t), S_t = Σ Φ⁻¹(1 − p_i)', async () => {
    const { normalLogMixture, normalQuantile } = await import('@descent/martingale');
    for (const oneSided of [true, false]) {
      const logM = run({ kind: 'gaussMixture', vOpt: 50, alphaOpt: 0.01, oneSided }, f.pseq);
      let S = 0;
      f.pseq.forEach((p, i) => {
        S += -normalQuantile(p);
        expect(logM[i]!).toBeCloseTo(normalLogMixture(S, i + 1, { vOpt: 50, alphaOpt: 0.01, oneSided }), 10);
      });
    }
  });
  test('moment and Hoeffding exponential forms on raw scores', () => {
    let s = initDetector({ betting: { kind: 'momentExp', lambda: 0.5, mu0: 1, sigma0: 2 }, threshold: 100, alarmOn: 'product', onAlarm: 'latch' });
    s = step(s, 3);
    expect(s.logE).toBeCloseTo(0.5 * 1 - 0.125, 15);
    expect(s.p).toBeNaN();
    let h = initDetector({ betting: { kind: 'hoeffdingExp', lambda: 0.5, mu0: 0.2, a: 0, b: 1 }, threshold: 100, alarmOn: 'product', onAlarm: 'latch' });
    h = step(h, 0.9);
    expect(h.logE).toBeCloseTo(0.5 * 0.7 - 0.25 / 8, 15);
  });
});

describe('laws', () => {
  test('every betting function integrates to 1 on [0, 1] (|∫g − 1| < 1e-8) after arbitrary histories', () => {
    fc.assert(bettingIntegratesToOne(1e-8), { numRuns: 60 });
  });
  test('the integration law decides (no NOT_CONVERGED from its quadrature) after a p-value near 1', () => {
    // Found by fast-check (about 1 run in 100): rounding of p near 1 kept tanh-sinh from converging to
    // 1e-13, although ∫g was within 1e-11 of 1.
    const b: Betting = { kind: 'gaussMixture', vOpt: 50, alphaOpt: 0.001, oneSided: false };
    fc.assert(bettingIntegratesToOne(1e-8), { numRuns: 1, examples: [[b, [0.999898577446573]], [b, [0.9998985809164127]], [b, [0.9998]], [b, [1, 1]]] });
  });
  test('spec list: power eps ∈ {0.1, 0.5, 1}, jumper experts, Gaussian-exp λ ∈ {0.25, 1, 2}', () => {
    for (const b of [
      { kind: 'power', eps: 0.1 },
      { kind: 'power', eps: 0.5 },
      { kind: 'power', eps: 1 },
      { kind: 'gaussExp', lambda: 0.25 },
      { kind: 'gaussExp', lambda: 1 },
      { kind: 'gaussExp', lambda: 2 },
    ] as Betting[]) {
      const nb = normalizeBetting(b);
      expect(Math.abs(integrateUnitInterval((p) => bettingDensity(nb, new Float64Array(0), p)) - 1)).toBeLessThan(1e-8);
    }
    for (const w of [[1, 0, 0], [0, 1, 0], [0, 0, 1]]) {
      const nb = normalizeBetting({ kind: 'jumper', J: 0 });
      expect(Math.abs(integrateUnitInterval((p) => bettingDensity(nb, Float64Array.from(w), p)) - 1)).toBeLessThan(1e-12);
    }
  });
  test('the quadrature can tell a non-density: ∫ 2 eps p^(eps-1) = 2', () => {
    expect(integrateUnitInterval((p) => 2 * 0.3 * p ** -0.7)).toBeCloseTo(2, 9);
  });
});

describe('bad betting configs → INVALID_CONFIG', () => {
  test.each([
    [{ kind: 'power', eps: 0 }],
    [{ kind: 'power', eps: 1.5 }],
    [{ kind: 'mixture', eps: new Float64Array(0) }],
    [{ kind: 'jumper', J: 2 }],
    [{ kind: 'plugin', window: 0 }],
    [{ kind: 'gaussExp', lambda: NaN }],
    [{ kind: 'gaussMixture', vOpt: 0 }],
    [{ kind: 'gaussMixture', alphaOpt: 0.7 }],
    [{ kind: 'momentExp', lambda: 1, mu0: 0, sigma0: 0 }],
    [{ kind: 'hoeffdingExp', lambda: 1, mu0: 0, a: 1, b: 0 }],
    [{ kind: 'nope' }],
  ])('%o', (b) => {
    expect(() => normalizeBetting(b as Betting)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
});

describe('null moments for the raw-score bettors', () => {
  test('nullMoments and hoeffdingMu0', async () => {
    const { nullMoments, hoeffdingMu0 } = await import('@descent/martingale');
    expect(nullMoments([1, 2, 3])).toEqual({ mu0: 2, sigma0: 1 });
    expect(hoeffdingMu0([0.2, 0.4], 0, 1, Math.exp(-4))).toBeCloseTo(0.3 + Math.sqrt(4 / 4), 15);
    expect(() => nullMoments([1])).toThrow(expect.objectContaining({ code: 'SHAPE_MISMATCH' }));
    expect(() => nullMoments([1, 1])).toThrow(expect.objectContaining({ code: 'DOMAIN' }));
    expect(() => hoeffdingMu0([2], 0, 1, 0.1)).toThrow(expect.objectContaining({ code: 'DOMAIN' }));
    expect(() => hoeffdingMu0([0.5], 0, 1, 1)).toThrow(expect.objectContaining({ code: 'DOMAIN' }));
  });
  test('Hoeffding exponential with mu0 from hoeffdingMu0 keeps the null crossing frequency ≤ δ + δ_cal (+3 SE)', async () => {
    const { hoeffdingMu0, crossingFrequency } = await import('@descent/martingale');
    const { uniform, key: mk, uniformInto } = await import('@descent/linalg');
    // Scores U(0,1) (mean 1/2); calibration of 200; δ = δ_cal = 0.05; R = 500 runs of T = 500.
    const mu0 = hoeffdingMu0(uniform(mk(1), 200), 0, 1, 0.05);
    const r = crossingFrequency(
      { betting: { kind: 'hoeffdingExp', lambda: 0.5, mu0, a: 0, b: 1 }, threshold: 20, alarmOn: 'product', onAlarm: 'latch' },
      { runs: 500, horizon: 500, key: mk(2), scores: (k, out) => void uniformInto(k, out) },
    );
    expect(r.product.frequency).toBeLessThanOrEqual(0.1 + 3 * Math.sqrt((0.1 * 0.9) / 500));
  });
});
