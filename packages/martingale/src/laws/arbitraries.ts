import fc from 'fast-check';
import type { Betting } from '../betting.js';

/**
 * fast-check arbitrary over p-value bettors with valid parameters (power, mixture, jumper, plug-in,
 * Gaussianized exponential and its normal mixture over lambda).
 *
 * @example
 * ```ts
 * fc.sample(pValueBettingArb(), 1).length;
 * // 1
 * ```
 */
export function pValueBettingArb(): fc.Arbitrary<Betting> {
  const unit = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
  return fc.oneof(
    unit(0.05, 1).map((eps): Betting => ({ kind: 'power', eps })),
    fc.array(unit(0.05, 1), { minLength: 1, maxLength: 6 }).map((e): Betting => ({ kind: 'mixture', eps: Float64Array.from(e) })),
    unit(0, 1).map((J): Betting => ({ kind: 'jumper', J })),
    fc.record({ burnIn: fc.integer({ min: 0, max: 5 }), window: fc.integer({ min: 1, max: 40 }) }).map((o): Betting => ({ kind: 'plugin', ...o })),
    unit(0, 3).map((lambda): Betting => ({ kind: 'gaussExp', lambda })),
    // Two-sided mixtures with a small mixing precision ρ bet like (1 - p)^(-1/(1+ρ)) near p = 1, where
    // doubles cannot resolve the mass (the detector's p never gets there); vOpt ≥ 50 keeps ρ ≥ 3.
    fc.record({ vOpt: unit(50, 1000), alphaOpt: unit(0.001, 0.4), oneSided: fc.boolean() }).map((o): Betting => ({ kind: 'gaussMixture', ...o })),
    fc.record({ vOpt: unit(1, 1000), alphaOpt: unit(0.001, 0.4) }).map((o): Betting => ({ kind: 'gaussMixture', ...o, oneSided: true })),
  );
}

/**
 * Arbitrary p-values in [0, 1] that hit the endpoints 0 and 1 often.
 *
 * @example
 * ```ts
 * fc.sample(pValueArb(), 5).every((p) => p >= 0 && p <= 1);
 * // true
 * ```
 */
export function pValueArb(): fc.Arbitrary<number> {
  return fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1e-200, noNaN: true }));
}
