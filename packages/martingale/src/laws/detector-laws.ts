import fc from 'fast-check';
import { key } from '@descent/linalg';
import { normalCdf } from '../normal.js';
import { detectorStateFromJSON, detectorStateToJSON } from '../detector-save.js';
import {
  cloneDetectorState,
  initDetector,
  resetDetector,
  step,
  stepInto,
  type AlarmPolicy,
  type AlarmStatistic,
  type DetectorConfig,
  type DetectorState,
} from '../detector.js';
import { conformalPValue } from '../pvalue.js';
import { pValueArb, pValueBettingArb } from './arbitraries.js';

const statArb = fc.constantFrom<AlarmStatistic>('product', 'restarted', 'cusum', 'sr');
const policyArb = fc.constantFrom<AlarmPolicy>('latch', 'reset', 'continue');

/**
 * Theorem: for any p-values in [0, 1] (including exactly 0 and 1) and any bettor, the product
 * martingale, the restarted mixture, CUSUM and Shiryaev–Roberts stay nonnegative and finite: their
 * logs are never NaN and never +Infinity (p is clamped to [1e-300, 1 - 2⁻⁵³] before betting). A log
 * of -Infinity is a wealth of exactly 0 (e.g. a plug-in density that underflows far from its past
 * p-values), which is nonnegative and finite. Exact (no tolerance).
 *
 * @example
 * ```ts
 * fc.check(statisticsNonnegativeFinite(), { numRuns: 50 }).failed;
 * // false
 * ```
 */
export function statisticsNonnegativeFinite() {
  return fc.property(pValueBettingArb(), statArb, policyArb, fc.array(pValueArb(), { minLength: 1, maxLength: 60 }), (betting, alarmOn, onAlarm, ps) => {
    let s = initDetector({ p: { mode: 'given' }, betting, threshold: 20, alarmOn, onAlarm }, key(1));
    for (const p of ps) {
      s = step(s, p);
      for (const v of [s.logM, s.logRestarted, s.logCusum, s.logSR, s.logE]) {
        if (Number.isNaN(v) || v === Infinity) return false;
      }
    }
    return true;
  });
}

/**
 * Theorem: `step` is a pure function of (state, score): it never mutates its input, equal inputs
 * give equal outputs, a JSON round trip of the state changes nothing, `stepInto` gives the same
 * state bit for bit, and `resetDetector` returns the statistics to their initial values (expectation
 * issue #154). Exact.
 *
 * @example
 * ```ts
 * fc.check(stepIsPureAndDeterministic(), { numRuns: 30 }).failed;
 * // false
 * ```
 */
export function stepIsPureAndDeterministic() {
  const sourceArb = fc.oneof(
    fc.constant<'online' | 'split'>('online'),
    fc.constant<'online' | 'split'>('split'),
  );
  return fc.property(
    pValueBettingArb(),
    sourceArb,
    statArb,
    policyArb,
    fc.array(fc.double({ min: -3, max: 3, noNaN: true }).map((x) => Math.round(x * 4) / 4), { minLength: 1, maxLength: 40 }),
    fc.integer({ min: 0, max: 1000 }),
    (betting, mode, alarmOn, onAlarm, scores, seed) => {
      const cfg: DetectorConfig = {
        p: mode === 'split' ? { mode, calib: Float64Array.from([-1, -0.5, 0, 0, 0.25, 1, 2]) } : { mode },
        betting,
        threshold: 5,
        alarmOn,
        onAlarm,
      };
      let s = initDetector(cfg, key(seed));
      const initial = snapshot(s);
      const buf = cloneDetectorState(s);
      for (const x of scores) {
        const before = snapshot(s);
        const a = step(s, x);
        const b = step(s, x);
        if (snapshot(s) !== before) return false; // not mutated
        if (snapshot(a) !== snapshot(b)) return false; // deterministic
        const c = step(detectorStateFromJSON(JSON.parse(JSON.stringify(detectorStateToJSON(s)))), x);
        if (snapshot(c) !== snapshot(a)) return false; // serialisable
        const d = stepInto(s, x, buf);
        if (snapshot(d) !== snapshot(a)) return false; // stepInto ≡ step
        if (snapshot(s) !== before) return false;
        s = a;
      }
      const r = resetDetector(s);
      const fresh = JSON.parse(initial) as Record<string, unknown>;
      const reset = JSON.parse(snapshot(r)) as Record<string, unknown>;
      for (const f of ['logM', 'logRestartActive', 'logRestarted', 'logCusum', 'logSR', 'tSinceReset', 'bet']) {
        if (JSON.stringify(fresh[f]) !== JSON.stringify(reset[f])) return false;
      }
      return true;
    },
  );
}

// A canonical string of everything observable in a state (the history treap only up to its count).
function snapshot(s: DetectorState): string {
  const { history, ...rest } = s;
  return JSON.stringify(detectorStateToJSON({ ...rest, history: history.slice(0, 4 * s.historyCount) } as DetectorState));
}

/**
 * Theorem (MAPIE issue #984 regression): with tie-free reference scores the randomized conformal
 * p-value depends on U — `p(u₁) ≠ p(u₂)` for `u₁ ≠ u₂` — and always lies in
 * `[#greater/(n+1), (#greater + #equal + 1)/(n+1)]`. Exact.
 *
 * @example
 * ```ts
 * fc.check(pValueDependsOnU(), { numRuns: 100 }).failed;
 * // false
 * ```
 */
export function pValueDependsOnU() {
  return fc.property(
    fc.uniqueArray(fc.integer({ min: -1000, max: 1000 }), { minLength: 0, maxLength: 50 }),
    fc.integer({ min: -1000, max: 1000 }),
    // u on a 2⁻³⁰ grid: distinct u's differ by more than the rounding of the p-value
    fc.integer({ min: 0, max: 2 ** 30 }).map((i) => i / 2 ** 30),
    fc.integer({ min: 0, max: 2 ** 30 }).map((i) => i / 2 ** 30),
    (ref, s, u1, u2) => {
      const sorted = Float64Array.from(ref.filter((v) => v !== s)).sort();
      const n = sorted.length;
      const p1 = conformalPValue(sorted, n, s, u1);
      const p2 = conformalPValue(sorted, n, s, u2);
      if (u1 !== u2 && p1 === p2) return false;
      let greater = 0;
      for (const v of sorted) if (v > s) greater++;
      return p1 >= greater / (n + 1) && p1 <= (greater + 1) / (n + 1);
    },
  );
}

/**
 * Theorem (spec (d) 10): when z is exactly N(0, 1), the moment-plug-in exponential bettor on raw
 * scores (mu0 = 0, sigma0 = 1) equals the Gaussianized exponential bettor on the oracle p-values
 * `p = 1 - Φ(z)`: same log-increments up to the round trip Φ⁻¹(1 - (1 - Φ(z))) (tolerance 1e-7 in
 * log-wealth per step, z in [-6, 6]).
 *
 * @example
 * ```ts
 * fc.check(momentExpMatchesGaussExp(), { numRuns: 50 }).failed;
 * // false
 * ```
 */
export function momentExpMatchesGaussExp(tol = 1e-7) {
  return fc.property(
    fc.double({ min: 0, max: 3, noNaN: true }),
    fc.array(fc.double({ min: -6, max: 6, noNaN: true }), { minLength: 1, maxLength: 30 }),
    (lambda, zs) => {
      let a = initDetector({ betting: { kind: 'momentExp', lambda, mu0: 0, sigma0: 1 }, threshold: 100, alarmOn: 'product', onAlarm: 'latch' });
      let b = initDetector({ p: { mode: 'given' }, betting: { kind: 'gaussExp', lambda }, threshold: 100, alarmOn: 'product', onAlarm: 'latch' });
      for (const z of zs) {
        a = step(a, z);
        // 1 - Φ(z) = Φ(-z), computed without cancellation
        b = step(b, normalCdf(-z));
        if (Math.abs(a.logE - b.logE) > tol * Math.max(1, lambda * Math.abs(z))) return false;
      }
      return Math.abs(a.logM - b.logM) <= tol * zs.length * Math.max(1, 6 * lambda);
    },
  );
}
