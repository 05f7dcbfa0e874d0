import { describe, expect, test } from 'vitest';
import { key } from '@descent/linalg';
import {
  barrier,
  bezier,
  curveControlPoints,
  curveFit,
  filterNormalizedDirection,
  homotopyTest,
  linearPathLoss,
  lmcClasses,
  lossSlice,
  polychain,
  sublevelPersistence0,
  type CurveState,
} from '@descent/topology';
import { thrownCode } from '@descent/linalg/laws';

const annulus = (x: Float64Array) => (Math.hypot(x[0]!, x[1]!) - 1) ** 2;
const arc = (f: (s: number) => [number, number], m = 41) => Array.from({ length: m }, (_, i) => Float64Array.from(f(i / (m - 1))));

describe('barriers and LMC classes', () => {
  test('the three conventions on a double well', () => {
    const L = (x: Float64Array) => Math.min((x[0]! + 1) ** 2, (x[0]! - 1) ** 2) + 0.1 * x[0]!;
    const c = linearPathLoss(L, new Float64Array([-1]), new Float64Array([1]), { points: 21 });
    expect(c.alpha[10]).toBe(0.5);
    const lin = barrier(c);
    expect(lin.argmax).toBe(10);
    expect(lin.height).toBeCloseTo(1, 12); // ℓ(0.5) = 1, linear reference (−0.1 + 0.1)/2 = 0
    expect(barrier(c, { reference: 'mean' }).height).toBeCloseTo(1, 12);
    expect(barrier(c, { reference: 'max' }).height).toBeCloseTo(0.9, 12);
  });
  test('lmcClasses: components of the barrier ≤ tol graph', () => {
    const L = (x: Float64Array) => Math.min((x[0]! + 1) ** 2, (x[0]! - 1) ** 2);
    const th = [-1.1, -0.9, 0.95, 1.05, -1].map((v) => new Float64Array([v]));
    const r = lmcClasses(th, L, { tol: 0.05 });
    expect(Array.from(r.labels)).toEqual([0, 0, 1, 1, 0]);
    expect(r.count).toBe(2);
    expect(r.barriers[0 * 5 + 2]).toBeGreaterThan(0.5);
    expect(r.barriers[2 * 5 + 0]).toBe(r.barriers[0 * 5 + 2]);
  });
});

describe('curves (Garipov et al.)', () => {
  test('Bézier and polychain formulas', () => {
    const a = new Float64Array([0, 0]);
    const w = new Float64Array([1, 2]);
    const b = new Float64Array([2, 0]);
    const t = 0.3;
    const q = bezier([a, w, b], t);
    expect(q[0]).toBeCloseTo(2 * t * (1 - t) * 1 + t * t * 2, 14);
    expect(q[1]).toBeCloseTo(2 * t * (1 - t) * 2, 14);
    // one bend: φ(t) = 2(t·w + (0.5 − t)·a) on [0, ½]
    const p = polychain([a, w, b], t);
    expect(p[0]).toBeCloseTo(2 * (t * 1 + (0.5 - t) * 0), 14);
    expect(p[1]).toBeCloseTo(2 * (t * 2), 14);
    expect(Array.from(polychain([a, w, b], 1))).toEqual([2, 0]);
    expect(() => bezier([a, w, b], 1.5)).toThrow();
  });
  test('curveFit finds a low-loss quadratic Bézier around a barrier; step is pure and equals stepInto', () => {
    // an annulus valley (the straight line crosses the hump at the origin) with a bump on its lower half
    const L = (x: Float64Array) => (Math.hypot(x[0]!, x[1]!) - 1) ** 2 + 0.5 * Math.exp(-4 * (x[1]! + 1) ** 2);
    const grad = (x: Float64Array) => {
      const r = Math.hypot(x[0]!, x[1]!) || 1e-12;
      const g = 2 * (r - 1);
      const e = 0.5 * Math.exp(-4 * (x[1]! + 1) ** 2);
      return new Float64Array([(g * x[0]!) / r, (g * x[1]!) / r + e * -8 * (x[1]! + 1)]);
    };
    const a = new Float64Array([-1, 0]);
    const b = new Float64Array([1, 0]);
    let s: CurveState = curveFit.init({ a, b, optimizer: { kind: 'adam', lr: 0.02 } }, new Float64Array(0), key(3));
    const before = barrier({ alpha: new Float64Array([0, 0.5, 1]), loss: new Float64Array([L(a), L(bezier(curveControlPoints(s), 0.5)), L(b)]) }).height;
    const x0 = s.x.slice();
    const s1 = curveFit.step(s, { grad: grad(s.query) });
    expect(Array.from(s.x)).toEqual(Array.from(x0)); // not mutated
    const out = { ...s, x: new Float64Array(2), query: new Float64Array(2), m: new Float64Array(2), v: new Float64Array(2) };
    const s2 = curveFit.stepInto!(s, { grad: grad(s.query) }, out);
    expect(Array.from(s2.x)).toEqual(Array.from(s1.x));
    expect(s2.tCurve).toBe(s1.tCurve);
    for (let t = 0; t < 1500; t++) s = curveFit.step(s, { grad: grad(s.query) });
    const ctrl = curveControlPoints(s);
    const curve = { alpha: new Float64Array(31), loss: new Float64Array(31) };
    for (let i = 0; i < 31; i++) {
      curve.alpha[i] = i / 30;
      curve.loss[i] = L(bezier(ctrl, i / 30));
    }
    // the straight line crosses the origin (loss ≥ 1); the fitted curve goes around
    expect(before).toBeGreaterThan(0.9);
    expect(barrier(curve).height).toBeLessThan(0.3);
  });
  test('bad configs', () => {
    const a = new Float64Array([0]);
    expect(() => curveFit.init({ a, b: new Float64Array([1, 2]) }, new Float64Array(0), key(0))).toThrow();
    expect(() => curveFit.init({ a, b: a, bends: 2 }, new Float64Array(0), key(0))).toThrow();
    expect(() => curveFit.init({ a, b: a }, new Float64Array(0))).toThrow();
  });
});

describe('homotopy test (spec §6.4 goldens)', () => {
  test('annulus: the two semicircles are not homotopic at c = 0.5; c* ≈ 1 = upper', () => {
    const up = arc((s) => [Math.cos(Math.PI * s), Math.sin(Math.PI * s)]);
    const down = arc((s) => [Math.cos(Math.PI * s), -Math.sin(Math.PI * s)]);
    const r = homotopyTest(up, down, annulus, { level: 0.5, key: key(0) });
    expect(r.verdict).toBe('obstructed');
    expect(r.homotopic).toBe(false);
    expect(r.upper).toBeCloseTo(1, 12); // the grid passes through the origin
    expect(Math.abs(r.cStar - 1)).toBeLessThan(0.05);
    expect(r.connected).toBe(true);
  });
  test('annulus: two paths in the upper half-plane are certified homotopic at c = 0.5', () => {
    const up = arc((s) => [Math.cos(Math.PI * s), Math.sin(Math.PI * s)]);
    const wide = arc((s) => [(1 + 0.3 * Math.sin(Math.PI * s)) * Math.cos(Math.PI * s), (1 + 0.3 * Math.sin(Math.PI * s)) * Math.sin(Math.PI * s)]);
    const r = homotopyTest(up, wide, annulus, { level: 0.5, key: key(0) });
    expect(r.verdict).toBe('certified-on-grid');
    expect(r.upper).toBeLessThanOrEqual(0.09 + 1e-12);
    // Lipschitz certificate: |∇L| = 2|r − 1| ≤ 0.6 on the band r ∈ [0.7, 1.3]
    expect(homotopyTest(up, wide, annulus, { level: 0.5, lipschitz: 0.6 }).verdict).toBe('certified');
  });
  test('shared endpoints are required', () => {
    const up = arc((s) => [Math.cos(Math.PI * s), Math.sin(Math.PI * s)]);
    const off = arc((s) => [Math.cos(Math.PI * s), 0.1 + Math.sin(Math.PI * s)]);
    expect(thrownCode(() => homotopyTest(up, off, annulus))).toBe('DOMAIN');
  });
});

describe('loss landscape slices', () => {
  test('filter normalisation and a slice of a quadratic bowl', () => {
    const layout = [
      { name: 'W', shape: [3, 4] },
      { name: 'b', shape: [3] },
    ];
    const theta = Float64Array.from({ length: 15 }, (_, i) => i - 7);
    const d = filterNormalizedDirection(theta, layout, key(5));
    for (let r = 0; r < 3; r++) {
      const nd = Math.hypot(...d.subarray(4 * r, 4 * r + 4));
      const nt = Math.hypot(...theta.subarray(4 * r, 4 * r + 4));
      expect(nd).toBeCloseTo(nt, 8);
    }
    expect(Array.from(d.subarray(12))).toEqual([0, 0, 0]);
    const s = lossSlice((x) => x.reduce((acc, v) => acc + v * v, 0), new Float64Array(2), new Float64Array([1, 0]), new Float64Array([0, 1]), { points: 21 });
    const dg = sublevelPersistence0(s.values, { kind: 'grid', shape: [21, 21], connectivity: 8 });
    expect(dg.birth.length).toBe(1);
    expect(dg.birthVertex[0]).toBe(10 * 21 + 10);
  });
});
