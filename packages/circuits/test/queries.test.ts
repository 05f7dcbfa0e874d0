import { describe, expect, test } from 'vitest';
import { foldIn, fromRows, key, portableCosTurn, portableLog, uniform } from '@descent/linalg';
import {
  bernoulliNode, compile, gaussianNode, hclt, indicatorNode, loadDebd, logLikelihood, mapQuery, posteriors, productNode, sample,
  sampleConditional, sumNode, topDownProbabilities, train as trainCircuit,
} from '@descent/circuits';
import { allStates, buildCircuit } from '@descent/circuits/laws';

describe('log-domain evaluation', () => {
  test('a sum whose children are all -Infinity gives -Infinity, never NaN', () => {
    const c = compile({ numVars: 1, nodes: [indicatorNode(0, 0), indicatorNode(0, 0), sumNode([0, 1], [0.5, 0.5]), indicatorNode(0, 1), sumNode([2, 3], [0.3, 0.7])] });
    const ll = logLikelihood(c, c.params, fromRows([[1], [0]]));
    // x = 1: the inner sum sees only -Infinity children.
    expect(ll[0]).toBe(Math.log(0.7));
    expect(ll[1]).toBe(Math.log(0.3));
    const impossible = compile({ numVars: 1, nodes: [indicatorNode(0, 0), indicatorNode(0, 0), sumNode([0, 1], [0.5, 0.5])] });
    expect(logLikelihood(impossible, impossible.params, fromRows([[1]]))[0]).toBe(-Infinity);
  });

  test('a trained NLTCS HCLT is normalized over all 2^16 states (spec (e) 2)', () => {
    const train = loadDebd('nltcs', 'train');
    const c = compile(hclt(train, { K: 8 }));
    const r = trainCircuit(c, c.params, train, { optimizer: { kind: 'anemone' }, epochs: 1, evalTrain: false });
    const ll = logLikelihood(c, r.params, allStates(c));
    expect(ll.length).toBe(65536);
    let s = 0;
    for (const l of ll) s += Math.exp(l);
    expect(Math.abs(s - 1)).toBeLessThan(1e-10);
  });

  test('Gaussian leaves: the density formula, marginalization gives 0', () => {
    const c = compile({ numVars: 1, nodes: [gaussianNode(0, 1, 2)] });
    const x = 0.3;
    expect(logLikelihood(c, c.params, fromRows([[x]]))[0]).toBeCloseTo(-0.5 * ((x - 1) / 2) ** 2 - 0.5 * Math.log(2 * Math.PI) - Math.log(2), 14);
    expect(logLikelihood(c, c.params, fromRows([[x]]), { missing: new Uint8Array([1]) })[0]).toBe(0);
  });

  test('Gaussian draws use the portable log and cosine: the same stream in every engine', () => {
    // Row r draws u₁, u₂ from foldIn(k, r) (chunk 0) and returns μ + σ√(−2 log(1 − u₁)) cos(2πu₂).
    const c = compile({ numVars: 1, nodes: [gaussianNode(0, 1, 2)] });
    const k = key(7);
    const rows = 400;
    const draws = sample(c, c.params, k, rows).data;
    let libmDiffers = 0;
    for (let r = 0; r < rows; r++) {
      const u = uniform(foldIn(foldIn(k, r), 0), 2);
      const expected = 1 + 2 * Math.sqrt(-2 * portableLog(1 - u[0]!)) * portableCosTurn(u[1]!);
      expect(draws[r]).toBe(expected);
      if (1 + 2 * Math.sqrt(-2 * Math.log(1 - u[0]!)) * Math.cos(2 * Math.PI * u[1]!) !== expected) libmDiffers++;
    }
    // Math's log and cos differ from the portable ones in the last bits of some draws, so the
    // comparison above really tells the two apart.
    expect(libmDiffers).toBeGreaterThan(0);
  });

  test('n = 784 HCLT with K = 16: finite log-likelihoods, normalized marginal (spec (e) 14)', () => {
    const n = 784;
    const rows = 60;
    const x = new Float64Array(rows * n);
    // Stripe images: pixel on when (row + column) mod 7 < 3, with a per-row shift.
    for (let r = 0; r < rows; r++) for (let v = 0; v < n; v++) x[r * n + v] = ((v % 28) + Math.floor(v / 28) + r) % 7 < 3 ? 1 : 0;
    const data = { rows, cols: n, data: x };
    const c = compile(hclt(data, { K: 16 }));
    const ll = logLikelihood(c, c.params, data);
    for (const l of ll) expect(Number.isFinite(l)).toBe(true);
    const all = logLikelihood(c, c.params, { rows: 1, cols: n, data: x.slice(0, n) }, { missing: new Uint8Array(n).fill(1) });
    expect(Math.abs(all[0]!)).toBeLessThan(1e-12);
  });

  test('posteriors of real variables are posterior means; observed variables are point masses', () => {
    const c = compile({ numVars: 2, nodes: [gaussianNode(0, -1, 1), bernoulliNode(1, 0.9), productNode([0, 1]), gaussianNode(0, 3, 1), bernoulliNode(1, 0.1), productNode([3, 4]), sumNode([2, 5], [0.5, 0.5])] });
    const p = posteriors(c, c.params, fromRows([[0, 1]]), { missing: new Uint8Array([1, 0]) });
    // p(z | x1 = 1) = (0.9, 0.1); E[x0 | x1 = 1] = 0.9·(-1) + 0.1·3.
    expect(p.means[0]).toBeCloseTo(-0.9 + 0.3, 14);
    expect(Array.from(p.probs)).toEqual([0, 1]);
    expect(p.offsets[1]).toBe(0);
  });
});

describe('sampling goodness of fit (spec (e) 13)', () => {
  // Pearson's chi-square over all 2^n (or prod of cardinalities) states. With a fixed seed the test
  // is deterministic; the threshold is the 1 - 1e-6 quantile of chi2(df) (scipy.stats.chi2.ppf),
  // so a correct sampler fails for fewer than one seed in a million. States are merged until each
  // has expected count ≥ 5 (the chi-square approximation's usual condition) before counting df.
  function chiSquare(expected: number[], observed: number[]): { stat: number; df: number } {
    let stat = 0;
    let cells = 0;
    let e = 0;
    let o = 0;
    for (let i = 0; i < expected.length; i++) {
      e += expected[i]!;
      o += observed[i]!;
      if (e >= 5) {
        stat += ((o - e) * (o - e)) / e;
        cells++;
        e = 0;
        o = 0;
      }
    }
    if (e > 0) stat += ((o - e) * (o - e)) / Math.max(e, 1e-300);
    return { stat, df: cells - 1 };
  }
  const q = { 15: 56.49, 7: 40.52, 3: 30.66 } as Record<number, number>;

  test.each([['hclt', 4, 11], ['ratSpnOuter', 4, 5], ['mixture', 4, 2]] as const)('unconditional, %s over %i variables', (family, n, seed) => {
    const c = compile(buildCircuit(family, n, seed));
    const states = allStates(c);
    const p = logLikelihood(c, c.params, states).map(Math.exp);
    const S = 100_000;
    const s = sample(c, c.params, key(seed), S);
    const counts = new Array<number>(states.rows).fill(0);
    for (let r = 0; r < S; r++) {
      let idx = 0;
      for (let v = 0; v < n; v++) idx = idx * 2 + s.data[r * n + v]!;
      counts[idx]++;
    }
    const { stat, df } = chiSquare(Array.from(p, (x) => x * S), counts);
    expect(df).toBe(15);
    expect(stat).toBeLessThan(q[df]!);
  });

  test('conditional on evidence: draws follow p(q | e) and keep e', () => {
    const n = 4;
    const c = compile(buildCircuit('hclt', n, 21));
    const S = 50_000;
    const ev = new Float64Array(S * n);
    const missing = new Uint8Array(S * n);
    for (let r = 0; r < S; r++) {
      ev[r * n] = 1; // x0 = 1 observed
      for (let v = 1; v < n; v++) missing[r * n + v] = 1;
    }
    const s = sampleConditional(c, c.params, key(5), { rows: S, cols: n, data: ev }, missing);
    const states = allStates(c);
    const p = logLikelihood(c, c.params, states).map(Math.exp);
    const expected = new Array<number>(8).fill(0);
    let pe = 0;
    for (let i = 0; i < states.rows; i++) if (states.data[i * n] === 1) pe += p[i]!;
    for (let i = 0; i < states.rows; i++) if (states.data[i * n] === 1) expected[i - 8] = (p[i]! / pe) * S;
    const counts = new Array<number>(8).fill(0);
    for (let r = 0; r < S; r++) {
      expect(s.data[r * n]).toBe(1);
      counts[s.data[r * n + 1]! * 4 + s.data[r * n + 2]! * 2 + s.data[r * n + 3]!]++;
    }
    const { stat, df } = chiSquare(expected, counts);
    expect(df).toBe(7);
    expect(stat).toBeLessThan(q[df]!);
  });

  test('a Gaussian leaf samples with the right mean and variance', () => {
    const c = compile({ numVars: 1, nodes: [gaussianNode(0, 2, 0.5)] });
    const S = 40_000;
    const s = sample(c, c.params, key(9), S).data;
    let m = 0;
    for (const v of s) m += v;
    m /= S;
    let v2 = 0;
    for (const v of s) v2 += (v - m) ** 2;
    v2 /= S - 1;
    // Standard error of the mean 0.5/√S = 0.0025: 6 SE = 0.015. Of the variance: σ²√(2/S) ≈ 0.0018: 6 SE = 0.011.
    expect(Math.abs(m - 2)).toBeLessThan(0.015);
    expect(Math.abs(v2 - 0.25)).toBeLessThan(0.011);
  });
});

describe('MAP', () => {
  test('deterministic circuit: MAP equals brute-force argmax', () => {
    const c = compile(buildCircuit('chowLiu', 5, 3));
    const states = allStates(c);
    const ll = logLikelihood(c, c.params, states);
    let best = 0;
    for (let i = 1; i < ll.length; i++) if (ll[i]! > ll[best]!) best = i;
    const r = mapQuery(c, c.params, { rows: 1, cols: 5, data: new Float64Array(5) }, { missing: new Uint8Array(5).fill(1) });
    expect(Array.from(r.x.data)).toEqual(Array.from(states.data.slice(best * 5, best * 5 + 5)));
    expect(Math.abs(r.logValue[0]! - ll[best]!)).toBeLessThan(1e-12);
  });
  test('top-down probabilities of a deterministic circuit are the model marginals of its indicators', () => {
    const c = compile(buildCircuit('chowLiu', 3, 4));
    const td = topDownProbabilities(c, c.params);
    const states = allStates(c);
    const p = logLikelihood(c, c.params, states).map(Math.exp);
    // Indicator node ids for variable v, value a are the ones with kind 'indicator'.
    const nodes = buildCircuit('chowLiu', 3, 4).nodes;
    nodes.forEach((nd, i) => {
      if (nd.kind !== 'indicator') return;
      let m = 0;
      for (let s = 0; s < states.rows; s++) if (states.data[s * 3 + nd.v] === nd.value) m += p[s]!;
      expect(Math.abs(td[i]! - m)).toBeLessThan(1e-14);
    });
  });
});
