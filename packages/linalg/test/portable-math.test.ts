import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { categorical, categoricalLogits, key, normal, portableCosTurn, portableExp, portableLog, portableSinTurn, uniform } from '@descent/linalg';
import { sinCosTurn } from '../src/portable-math.js';
import { loadFixture } from './fixtures.js';

interface PrngFixture {
  streams: { seed: number; n: number; mean: number; std: number; key: number[]; uniform: number[]; normal: number[]; normalLibm: number[] }[];
  log: { x: number; fdlibm: number; libm: number }[];
  sinCosTurn: { u: number; sin: number; cos: number; libmSin: number; libmCos: number }[];
}
const fixture = loadFixture<PrngFixture>('prng.json');

/** Distance in units in the last place between two finite doubles of the same sign. */
function ulps(a: number, b: number): number {
  const f = new Float64Array([a, b]);
  const i = new BigInt64Array(f.buffer);
  const d = i[0]! - i[1]!;
  return Number(d < 0n ? -d : d);
}

describe('portable elementary functions', () => {
  test('streams equal, bit for bit, an independent CPython transcription (scripts/fixtures/linalg_prng.py)', () => {
    for (const s of fixture.streams) {
      expect(Array.from(key(s.seed))).toEqual(s.key);
      expect(Array.from(uniform(key(s.seed), s.n))).toEqual(s.uniform);
      expect(Array.from(normal(key(s.seed), s.n, s.mean, s.std))).toEqual(s.normal);
    }
    for (const c of fixture.log) expect(portableLog(c.x)).toBe(c.fdlibm);
    const out = new Float64Array(2);
    for (const c of fixture.sinCosTurn) {
      sinCosTurn(c.u, out);
      expect([out[0], out[1]]).toEqual([c.sin, c.cos]);
    }
  });

  test('the portable draws are the Box–Muller transform: within 64ε(|mean| + std) of the C library’s', () => {
    // Each draw is mean + std·r·cos(2πu) with r = √(−2 log u₁) ≤ 8.6: log and sqrt within 1 ulp, the
    // sine/cosine within about 2ε absolute (argument rounding included), so the difference from the
    // same transform through glibc is below (8.6·4ε + 2ε)·std + ε|mean| < 64ε(|mean| + std).
    let differing = 0;
    for (const s of fixture.streams) {
      for (let i = 0; i < s.n; i++) {
        expect(Math.abs(s.normal[i]! - s.normalLibm[i]!)).toBeLessThanOrEqual(64 * Number.EPSILON * (Math.abs(s.mean) + s.std));
        if (s.normal[i] !== s.normalLibm[i]) differing++;
      }
    }
    // The two differ in the last bits of some draws: the fixture really pins the portable functions.
    expect(differing).toBeGreaterThan(0);
    for (const c of fixture.log) expect(ulps(c.fdlibm, c.libm)).toBeLessThanOrEqual(1);
    for (const c of fixture.sinCosTurn) {
      expect(Math.abs(c.sin - c.libmSin)).toBeLessThanOrEqual(4 * Number.EPSILON);
      expect(Math.abs(c.cos - c.libmCos)).toBeLessThanOrEqual(4 * Number.EPSILON);
    }
  });

  test('portableLog and portableExp are within 1 ulp of Math.log and Math.exp', () => {
    // Both are faithfully rounded (fdlibm's error is below 1 ulp, and so is every engine's in
    // practice): each is one of the two doubles around the true value, so they are at most 1 ulp apart.
    fc.assert(fc.property(fc.double({ min: 5e-324, max: 1.7e308, noNaN: true }), (x) => ulps(portableLog(x), Math.log(x)) <= 1), { numRuns: 20000 });
    fc.assert(fc.property(fc.double({ min: -745, max: 709.7, noNaN: true }), (x) => ulps(portableExp(x), Math.exp(x)) <= 1), { numRuns: 20000 });
  });

  test('special values follow Math.log and Math.exp', () => {
    expect([portableLog(0), portableLog(-0), portableLog(-1), portableLog(Infinity), portableLog(NaN), portableLog(1)]).toEqual([
      -Infinity, -Infinity, NaN, Infinity, NaN, 0,
    ]);
    expect([portableExp(0), portableExp(-Infinity), portableExp(Infinity), portableExp(710), portableExp(-746), portableExp(NaN)]).toEqual([
      1, 0, Infinity, Infinity, 0, NaN,
    ]);
    expect(portableLog(5e-324)).toBe(-744.4400719213812);
    expect(portableExp(-745)).toBe(5e-324);
  });

  test('portableSinTurn and portableCosTurn are the fixture-pinned sinCosTurn, on every number', () => {
    for (const c of fixture.sinCosTurn) expect([portableSinTurn(c.u), portableCosTurn(c.u)]).toEqual([c.sin, c.cos]);
    for (const u of [NaN, Infinity, -Infinity]) expect([portableSinTurn(u), portableCosTurn(u)]).toEqual([NaN, NaN]);
    // Beyond 2^51 every double is a multiple of 1/2 turn, reduced exactly: sin is ±0, cos is ±1.
    expect([Math.abs(portableSinTurn(2 ** 52 + 1)), portableCosTurn(2 ** 52 + 1), portableCosTurn(2 ** 51 + 0.5)]).toEqual([0, 1, -1]);
    // Periodic on the turn grid: shifting by whole turns (exact for these u) changes nothing.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 20 }), fc.integer({ min: -1000, max: 1000 }), (m, t) => {
        const u = m / 2 ** 20;
        return Object.is(portableSinTurn(u + t), portableSinTurn(u)) && Object.is(portableCosTurn(u + t), portableCosTurn(u));
      }),
    );
  });

  test('sinCosTurn is sin and cos of 2πu over the whole turn, with exact quarter turns', () => {
    const out = new Float64Array(2);
    expect(Array.from(sinCosTurn(0.25, out))).toEqual([1, -0]);
    expect(Array.from(sinCosTurn(0.5, out))).toEqual([-0, -1]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 53 }), (m) => {
        const u = m / 2 ** 53;
        sinCosTurn(u, out);
        return Math.abs(out[0]! - Math.sin(2 * Math.PI * u)) <= 4 * Number.EPSILON && Math.abs(out[1]! - Math.cos(2 * Math.PI * u)) <= 4 * Number.EPSILON;
      }),
      { numRuns: 20000 },
    );
  });

  test('categoricalLogits draws from the portable exponentials of the shifted logits', () => {
    const logits = new Float64Array([0, -1.5, 0.25, 2, -30]);
    const w = Float64Array.from(logits, (l) => portableExp(l - 2));
    expect(Array.from(categoricalLogits(key(3), logits, 500))).toEqual(Array.from(categorical(key(3), w, 500)));
  });
});
