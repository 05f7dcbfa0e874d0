// Detector throughput: steps per second for each p-value source, bettor and statistic, with the
// equivalent NumPy work measured in the same run where python3 is available.
import { measure, printTable, runPython, type BenchRow } from '@descent/bench';
import { key, normal, uniform } from '@descent/linalg';
import {
  bettingConfidenceSequence,
  calibrationSet,
  cloneDetectorState,
  initDetector,
  mFisherToy,
  onlinePValues,
  step,
  stepInto,
  type AlarmStatistic,
  type Betting,
  type DetectorConfig,
  type DetectorState,
} from '../src/index.js';

const N = 200_000;
const scores = normal(key(1), N);
const pGiven = uniform(key(2), N);
const calib = calibrationSet(normal(key(3), 1000));
const rows: BenchRow[] = [];

// Allocation-free driver: one state updated in place by stepInto.
function drive(s0: DetectorState, xs: Float64Array, n = xs.length): number {
  const s = cloneDetectorState(s0);
  for (let i = 0; i < n; i++) stepInto(s, xs[i]!, s);
  return s.logM;
}

// The machine is shared: besides the wall-clock median of `measure`, report the CPU-time rate of the
// same driver (process.cpuUsage over ~0.4 s), which other processes disturb much less.
function cpuRate(f: () => unknown, n: number): number {
  let calls = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  while (performance.now() - t0 < 400) {
    f();
    calls++;
  }
  const c = process.cpuUsage(c0);
  return (calls * n) / ((c.user + c.system) / 1e6);
}

function fmtRate(r: number): string {
  return r >= 1e6 ? `${(r / 1e6).toFixed(2)} M/s` : `${(r / 1e3).toFixed(1)} k/s`;
}

function row(operation: string, cfg: DetectorConfig, xs: Float64Array, n: number, note = '', reference?: { name: string; seconds?: number }): void {
  const s0 = initDetector({ ...cfg, check: false }, key(4));
  const m = measure(() => drive(s0, xs, n), { minSeconds: 0.6 });
  const cpu = cpuRate(() => drive(s0, xs, n), n);
  rows.push({
    operation,
    size: `${n} steps`,
    seconds: m.seconds,
    work: n,
    unit: 'step',
    note: `CPU ${fmtRate(cpu)}${note ? `; ${note}` : ''}`,
    ...(reference?.seconds !== undefined ? { referenceSeconds: reference.seconds, reference: reference.name } : {}),
  });
}

// NumPy references for the same work (vectorised: split p-values by searchsorted, Gaussian-exp
// increments, cumulative product martingale, CUSUM/SR by their recursions in a Python loop would be
// unfair, so only the vectorisable product path is timed).
const py = runPython<{ split: number; online: number; cs: number }>(`
import json, time, numpy as np
from scipy.stats import norm
rng = np.random.default_rng(0)
N = ${N}
s = rng.normal(size=N); cal = np.sort(rng.normal(size=1000)); u = rng.uniform(size=N)
def split():
    g = cal.size - np.searchsorted(cal, s, side='right'); e = np.searchsorted(cal, s, side='right') - np.searchsorted(cal, s, side='left')
    p = (g + u * (e + 1)) / (cal.size + 1)
    return np.cumsum(1.0 * norm.isf(p) - 0.5)
def best(f, reps=5):
    t = []
    for _ in range(reps):
        t0 = time.perf_counter(); f(); t.append(time.perf_counter() - t0)
    return min(t)
n_on = 20000
so = s[:n_on]
def online():
    h = []
    import bisect
    out = np.empty(n_on)
    for t in range(n_on):
        x = so[t]; lo = bisect.bisect_left(h, x); hi = bisect.bisect_right(h, x)
        out[t] = (len(h) - hi + u[t] * (hi - lo + 1)) / (len(h) + 1); h.insert(hi, x)
    return np.cumsum(norm.isf(out) - 0.5)
x = rng.beta(2, 5, size=500)
def cs():
    ms = np.arange(0, 1.001, 0.001)
    for m in ms:
        lam = np.minimum(np.sqrt(2*np.log(40) / (np.arange(1, 501) * np.log(np.arange(2, 502)) * 0.25)), 0.5 / max(m, 1e-12))
        np.cumprod(1 + lam * (x - m))
print(json.dumps({'split': best(split), 'online': best(online), 'cs': best(cs, 2)}))
`);

const gauss: Betting = { kind: 'gaussExp', lambda: 1 };
for (const alarmOn of ['product', 'restarted', 'cusum', 'sr'] as AlarmStatistic[]) {
  row(`split p, gaussExp, alarm on ${alarmOn}`, { p: { mode: 'split', calib }, betting: gauss, threshold: 1e300, alarmOn, onAlarm: 'latch' }, scores, N, 'n_cal = 1000', alarmOn === 'product' ? { name: 'NumPy (vectorised)', seconds: py?.split } : undefined);
}
row('split p, power eps=0.5', { p: { mode: 'split', calib }, betting: { kind: 'power', eps: 0.5 }, threshold: 1e300, alarmOn: 'cusum', onAlarm: 'latch' }, scores, N, 'n_cal = 1000');
row('split p, jumper', { p: { mode: 'split', calib }, betting: { kind: 'jumper' }, threshold: 1e300, alarmOn: 'cusum', onAlarm: 'latch' }, scores, N, 'n_cal = 1000');
row('split p, mixture (100 eps)', { p: { mode: 'split', calib }, betting: { kind: 'mixture' }, threshold: 1e300, alarmOn: 'cusum', onAlarm: 'latch' }, scores, 20_000, 'n_cal = 1000');
row('split p, plug-in (window 500)', { p: { mode: 'split', calib }, betting: { kind: 'plugin' }, threshold: 1e300, alarmOn: 'cusum', onAlarm: 'latch' }, scores, 5_000, 'O(window) per step');
row('online p, gaussExp', { p: { mode: 'online' }, betting: gauss, threshold: 1e300, alarmOn: 'product', onAlarm: 'latch' }, scores, 20_000, 'treap history grows to 20k', { name: 'Python bisect.insort', seconds: py?.online });
row('online p, gaussExp', { p: { mode: 'online' }, betting: gauss, threshold: 1e300, alarmOn: 'product', onAlarm: 'latch' }, scores, N, 'treap history grows to 200k');
row('given p, gaussExp', { p: { mode: 'given' }, betting: gauss, threshold: 1e300, alarmOn: 'sr', onAlarm: 'latch' }, pGiven, N);
row('raw score, momentExp', { betting: { kind: 'momentExp', lambda: 1, mu0: 0, sigma0: 1 }, threshold: 1e300, alarmOn: 'sr', onAlarm: 'latch' }, scores, N);

// The pure step (allocates its result) for contrast.
{
  const s0 = initDetector({ p: { mode: 'split', calib }, betting: gauss, threshold: 1e300, alarmOn: 'product', onAlarm: 'latch' }, key(4));
  const n = 50_000;
  const m = measure(() => {
    let s = s0;
    for (let i = 0; i < n; i++) s = step(s, scores[i]!);
    return s.logM;
  }, { minSeconds: 0.6 });
  rows.push({ operation: 'split p, gaussExp, pure step()', size: `${n} steps`, seconds: m.seconds, work: n, unit: 'step', note: 'allocates a state per step' });
}
{
  const m = measure(() => mFisherToy({ seed: 0 }), { minSeconds: 1 });
  rows.push({ operation: 'mFisherToy end to end', size: '2000-sample stream', seconds: m.seconds, note: 'detect + 200-sample buffer + 100 NG steps + 8000 test predictions' });
}
{
  const x = uniform(key(5), 500).map((v) => v * v);
  const m = measure(() => bettingConfidenceSequence(x), { minSeconds: 0.6 });
  rows.push({ operation: 'betting CS (1001-point grid)', size: '500 obs', seconds: m.seconds, work: 1001 * 500, unit: 'cap', ...(py ? { referenceSeconds: py.cs, reference: 'NumPy confseq-style' } : {}) });
}
{
  const u = uniform(key(6), 20_000);
  const m = measure(() => onlinePValues(scores.subarray(0, 20_000), u), { minSeconds: 0.6 });
  rows.push({ operation: 'onlinePValues', size: '20000 scores', seconds: m.seconds, work: 20_000, unit: 'p', ...(py ? { referenceSeconds: py.online, reference: 'Python bisect (+isf)' } : {}) });
}
printTable('@descent/martingale: detector throughput', rows);
