import fc from 'fast-check';
import { betInPlace, bettingDensity, bettingStateSize, normalizeBetting, P_MAX, P_MIN, resetBettingState } from '../betting.js';
import { integrateUnitInterval } from '../quadrature.js';
import { pValueBettingArb } from './arbitraries.js';

/**
 * Theorem: every p-value betting function is a density on [0, 1], `∫₀¹ g = 1`, at any state the
 * bettor can reach (mixture/jumper weights and plug-in KDE after an arbitrary history). This is what
 * makes `Π g_i(p_i)` a martingale under uniform p-values. Checked by tanh-sinh quadrature;
 * tolerance `|∫g - 1| < tol` (default 1e-8).
 *
 * @example
 * ```ts
 * fc.assert(bettingIntegratesToOne(), { numRuns: 20 });
 * // (passes)
 * ```
 */
export function bettingIntegratesToOne(tol = 1e-8) {
  return fc.property(pValueBettingArb(), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 30 }), (b, history) => {
    const betting = normalizeBetting(b);
    const bet = resetBettingState(betting, new Float64Array(bettingStateSize(betting)));
    for (const p of history) betInPlace(betting, bet, Math.min(P_MAX, Math.max(P_MIN, p)), 0);
    const integral = integrateUnitInterval((p) => bettingDensity(betting, bet, p));
    return Math.abs(integral - 1) < tol;
  });
}
