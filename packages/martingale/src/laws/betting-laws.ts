import fc from 'fast-check';
import { betInPlace, bettingDensity, bettingStateSize, normalizeBetting, P_MAX, P_MIN, resetBettingState } from '../betting.js';
import { integrateUnitInterval } from '../quadrature.js';
import { pValueBettingArb } from './arbitraries.js';

/**
 * Theorem: every p-value betting function is a density on [0, 1], `∫₀¹ g = 1`, at any state the
 * bettor can reach (mixture/jumper weights, plug-in KDE and λ-mixture after an arbitrary history of
 * p-values in [1e-9, 1]). This is what
 * makes `Π g_i(p_i)` a martingale under uniform p-values. Checked by tanh-sinh quadrature;
 * tolerance `|∫g - 1| < tol` (default 1e-8).
 *
 * @example
 * ```ts
 * fc.check(bettingIntegratesToOne(), { numRuns: 20 }).failed;
 * // false
 * ```
 */
export function bettingIntegratesToOne(tol = 1e-8) {
  // Histories of p-values in [1e-9, 1]: after a p-value of 1e-300 (z = 37) the λ-mixture bets on
  // z ≈ 37 and beyond, where the clamp and double precision cannot resolve the density's mass.
  return fc.property(pValueBettingArb(), fc.array(fc.double({ min: 1e-9, max: 1, noNaN: true }), { maxLength: 30 }), (b, history) => {
    const betting = normalizeBetting(b);
    const bet = resetBettingState(betting, new Float64Array(bettingStateSize(betting)));
    for (const p of history) betInPlace(betting, bet, Math.min(P_MAX, Math.max(P_MIN, p)), 0);
    // A plug-in KDE can be a sum of spikes of width 1e-3: break the interval at and around each one.
    const breakpoints = betting.kind === 'plugin' ? history.flatMap((x) => [-0.03, -0.01, -0.003, 0, 0.003, 0.01, 0.03].map((d) => x + d)) : [];
    const integral = integrateUnitInterval((p) => bettingDensity(betting, bet, p), { breakpoints });
    return Math.abs(integral - 1) < tol;
  });
}
