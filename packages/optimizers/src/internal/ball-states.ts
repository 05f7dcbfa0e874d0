import { DescentError, describeValue } from '@descent/linalg';
import { checkInto, checkState, type FieldKind } from './state-check.js';

// State checks of the ball-constrained conversions (o2nc, odog): every field step reads, before
// anything is written.

const positiveFinite: FieldKind = { number: (v) => Number.isFinite(v) && v > 0, expected: 'a finite number > 0' };
const nonNegativeFinite: FieldKind = { number: (v) => Number.isFinite(v) && v >= 0, expected: 'a finite number >= 0' };
const windowLength: FieldKind = { number: (v) => Number.isSafeInteger(v) && v >= 1, expected: 'an integer >= 1' };

/** `INVALID_CONFIG` unless `k` is a PRNG key: two integers in [0, 2^32). */
export function checkKey(where: string, k: unknown, what = 'key'): void {
  const word = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 2 ** 32;
  if (!Array.isArray(k) || k.length !== 2 || !word(k[0]) || !word(k[1])) {
    throw new DescentError('INVALID_CONFIG', where, `${what} must be a PRNG key made by key(seed) (two 32-bit unsigned integers), got ${describeValue(k)}`);
  }
}

/** o2nc's state, and `out` for stepInto. */
export function checkO2ncState(where: string, s: object, out?: unknown): void {
  checkState(where, s, {
    anchor: 'buffer', delta: 'buffer', windowSum: 'buffer',
    s: { number: (v) => v >= 0 && v <= 1, expected: 'in [0, 1]' },
    windowCount: 'count', windows: 'count', gradEvals: 'count', sumInner: 'number',
    radius: positiveFinite, lr: nonNegativeFinite, window: windowLength,
    point: { oneOf: ['uniform', 'midpoint'] }, check: 'boolean',
  });
  checkKey(where, (s as { key?: unknown }).key, 'state.key');
  if (out !== undefined || arguments.length > 2) checkInto(where, s, out);
}

/** odog's state, and `out` for stepInto. */
export function checkOdogState(where: string, s: object, out?: unknown): void {
  checkState(where, s, { adaptive: 'boolean' });
  const adaptive = (s as { adaptive?: unknown }).adaptive;
  checkState(where, s, {
    adaptive: 'boolean',
    phase: { oneOf: [0, 1] },
    anchor: 'buffer', delta: 'buffer', deltaHat: 'buffer', hint: 'buffer', hintGrad: 'buffer', lastGrad: 'buffer', windowSum: 'buffer',
    eta: nonNegativeFinite, sumSqError: nonNegativeFinite, sumInner: 'number',
    windowCount: 'count', windows: 'count', gradEvals: 'count',
    radius: positiveFinite,
    // The learning rate is NaN when it is adaptive (eta then comes from the accumulated errors).
    lr: adaptive === true ? { test: (v) => Number.isNaN(v), expected: 'NaN (adaptive)' } : nonNegativeFinite,
    window: windowLength,
    extrapolation: 'number',
    queryPoint: { number: (v) => v >= 0 && v <= 1, expected: 'in [0, 1]' },
    hintCorrection: 'boolean', adaptiveScale: positiveFinite, adaptiveEps: positiveFinite, check: 'boolean',
  });
  if (out !== undefined || arguments.length > 2) checkInto(where, s, out);
}

/** optimisticO2nc's state, and `out` for stepInto. */
export function checkOptimisticO2ncState(where: string, s: object, out?: unknown): void {
  checkState(where, s, {
    anchor: 'buffer', delta: 'buffer', deltaHat: 'buffer', hint: 'buffer', windowSum: 'buffer',
    iteration: 'count', lastIterations: 'count', windowCount: 'count', windows: 'count', gradEvals: 'count',
    residual: { test: (v) => typeof v === 'number' && (Number.isNaN(v) || v >= 0), expected: 'NaN or a number >= 0' }, sumSqHintError: nonNegativeFinite, sumInner: 'number',
    radius: positiveFinite, lr: nonNegativeFinite, window: windowLength,
    iterations: { number: (v) => Number.isInteger(v) && v >= 1 && v <= 1e6, expected: 'an integer in [1, 1e6]' },
    tolerance: nonNegativeFinite, check: 'boolean',
  });
  if (out !== undefined || arguments.length > 2) checkInto(where, s, out);
}
