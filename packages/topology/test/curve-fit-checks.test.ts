import { describe, expect, test } from 'vitest';
import { key } from '@descent/linalg';
import { thrownError } from '@descent/linalg/laws';
import { curveFit, type CurveState } from '@descent/topology';

// What the API fuzz of curveFit's methods (test/fuzz.test.ts, `members`) found: stepInto wrote into
// `out` without checking its buffers' lengths (a short out was written past or left half-updated),
// and states with missing or wrong-length fields were stepped into TypeErrors or NaN.

const v = (...xs: number[]) => Float64Array.from(xs);
const fresh = (): CurveState => curveFit.init({ a: v(0, 0), b: v(1, 1), bends: 4, curve: 'polychain' }, new Float64Array(0), key(3));

describe('curveFit.stepInto checks out before writing', () => {
  test('an out whose m is short, or whose x is the gradient, is rejected and left untouched', () => {
    const s = fresh();
    const out = fresh();
    const short = { ...out, m: new Float64Array(1) };
    expect(thrownError(() => curveFit.stepInto!(s, { grad: v(0.3, -0.2) }, short))).toMatchObject({ code: 'SHAPE_MISMATCH', message: expect.stringMatching(/^curveFit\.stepInto: out\.m must be a Float64Array of length 4/) });
    expect(Array.from(short.x)).toEqual(Array.from(s.x));
    const grad = new Float64Array(6);
    grad.set([0.3, -0.2]);
    expect(thrownError(() => curveFit.stepInto!(s, { grad: grad.subarray(0, 2) }, { ...out, x: grad.subarray(0, 4) })).code).toBe('INVALID_CONFIG');
    expect(curveFit.stepInto!(s, { grad: v(0.3, -0.2) }, out).t).toBe(1);
  });

  test('a state with a short second moment or a bad key is rejected naming the method', () => {
    const s = fresh();
    expect(thrownError(() => curveFit.step({ ...s, v: new Float64Array(2) }, { grad: v(1, 1) })).message).toMatch(/^curveFit\.step: state\.v/);
    expect(thrownError(() => curveFit.step({ ...s, key: [NaN, 1] as unknown as CurveState['key'] }, { grad: v(1, 1) })).code).toBe('INVALID_CONFIG');
  });

  test('init rejects an infinite learning rate and a bad key under its own name; an overflowing moment is NON_FINITE', () => {
    expect(thrownError(() => curveFit.init({ a: v(0), b: v(1), optimizer: { kind: 'sgd', lr: Infinity } }, new Float64Array(0), key(0))).code).toBe('INVALID_CONFIG');
    expect(thrownError(() => curveFit.init({ a: v(0), b: v(1) }, new Float64Array(0), [1, 2.5] as unknown as CurveState['key'])).message).toMatch(/^curveFit\.init: key/);
    expect(thrownError(() => curveFit.step(fresh(), { grad: v(1e300, 0) })).code).toBe('NON_FINITE');
  });
});
