import fc from 'fast-check';
import { betInPlace, bettingDensity, bettingStateSize, normalizeBetting, P_MAX, P_MIN, resetBettingState } from '../betting.js';
import { integrateUnitInterval } from '../quadrature.js';
import { pValueBettingArb } from './arbitraries.js';

/**
 * Theorem: every p-value betting function is a density on [0, 1], `∫₀¹ g = 1`, at any state the
 * bettor can reach (mixture/jumper weights, plug-in KDE and λ-mixture after an arbitrary history of
 * p-values in [1e-9, 1]). This is what
 * makes `Π g_i(p_i)` a martingale under uniform p-values. Checked by tanh-sinh quadrature converged
 * to tol/100; tolerance `|∫g - 1| < tol` (default 1e-8). States whose mass within 2⁻⁵³ of p = 1 (where
 * no double p exists) may exceed tol/1000 are skipped: a two-sided `gaussMixture` after p-values
 * near 1 bets there, and no quadrature in p can see it.
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
    // No double lies in (P_MAX, 1): the mass g puts within 2⁻⁵³ of p = 1 is invisible to a quadrature
    // in p. Where g rises towards 1 like (1 − p)^(−a), a ≤ 1/(1 + ρ) ≤ 1/4 (a two-sided mixture after
    // p-values near 1), that mass is at most g(P_MAX)·2⁻⁵³/(1 − a). States where it can reach tol/1000
    // are outside what the check can resolve: the same rounding would also keep the quadrature from
    // converging to tol/100 (the detector never sees such p either).
    if (bettingDensity(betting, bet, P_MAX) * 2 ** -53 * (4 / 3) > tol / 1000) return true;
    // Converge the quadrature 100× below the law's tolerance, not to its own default 1e-13: the
    // rounding of p near 1 alone moves tanh-sinh levels by ~g(P_MAX)·2⁻⁵³ (up to ~1e-11 here).
    const integral = integrateUnitInterval((p) => bettingDensity(betting, bet, p), { breakpoints, tol: tol / 100 });
    return Math.abs(integral - 1) < tol;
  });
}
