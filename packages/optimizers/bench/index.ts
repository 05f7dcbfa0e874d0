// npm run bench: the optimizers' hot paths against NumPy and PyTorch (single-threaded, float64),
// measured in the same run. Ratios > 1 mean descent is faster. `--quick` shortens every measurement.
import { measure, printTable, runPython, type BenchRow } from '@descent/bench';
import { key, normal } from '@descent/linalg';
import { adam, cloneState, iterate, muon, reg, type AdamState, type FirstOrderMethod } from '../src/index.js';
import { benchSamArsam } from './sam-arsam.js';
import { terminateAdamWorkers } from '../src/internal/adam-threads.js';

const quick = process.argv.includes('--quick');
const minSeconds = quick ? 0.3 : 1;

// --- Adam: one step over n parameters -------------------------------------------------------------
const ADAM_REF = `
import json, time, numpy as np
out = {}
def t(f, reps):
    f(); f()
    xs = []
    for _ in range(reps):
        s = time.perf_counter(); f(); xs.append(time.perf_counter() - s)
    xs.sort(); return xs[len(xs) // 2]
for n in (10**6, 10**7):
    rng = np.random.default_rng(0)
    p = rng.standard_normal(n); g = rng.standard_normal(n); m = np.zeros(n); v = np.zeros(n)
    tmp = np.empty(n); den = np.empty(n)
    lr, b1, b2, eps = 1e-3, 0.9, 0.999, 1e-8
    state = {'t': 0}
    def numpy_adam():
        # In-place NumPy Adam in torch's order, preallocated temporaries (the fast NumPy way).
        state['t'] += 1; t_ = state['t']
        np.multiply(m, b1, out=m); np.multiply(g, 1 - b1, out=tmp); np.add(m, tmp, out=m)
        np.multiply(v, b2, out=v); np.multiply(g, g, out=tmp); np.multiply(tmp, 1 - b2, out=tmp); np.add(v, tmp, out=v)
        np.sqrt(v, out=den); np.divide(den, (1 - b2 ** t_) ** 0.5, out=den); np.add(den, eps, out=den)
        np.divide(m, den, out=tmp); np.multiply(tmp, -lr / (1 - b1 ** t_), out=tmp); np.add(p, tmp, out=p)
    out['numpy%d' % n] = t(numpy_adam, 7 if n == 10**6 else 3)
    p2 = p.copy(); m2 = np.zeros(n); v2 = np.zeros(n); st2 = {'t': 0, 'p': p2, 'm': m2, 'v': v2}
    def numpy_naive():
        # The textbook NumPy expression style (allocates temporaries), as most user code is written.
        st2['t'] += 1; t_ = st2['t']
        st2['m'] = b1 * st2['m'] + (1 - b1) * g
        st2['v'] = b2 * st2['v'] + (1 - b2) * g * g
        st2['p'] = st2['p'] - (lr / (1 - b1 ** t_)) * st2['m'] / (np.sqrt(st2['v']) / (1 - b2 ** t_) ** 0.5 + eps)
    out['numpyNaive%d' % n] = t(numpy_naive, 7 if n == 10**6 else 3)
try:
    import torch
    torch.set_num_threads(1)
    for n in (10**6, 10**7):
        p = torch.randn(n, dtype=torch.float64, requires_grad=True)
        p.grad = torch.randn(n, dtype=torch.float64)
        opt = torch.optim.Adam([p], lr=1e-3, foreach=False)
        out['torch%d' % n] = t(opt.step, 7 if n == 10**6 else 3)
        opt = torch.optim.Adam([p], lr=1e-3, foreach=True)
        out['torchForeach%d' % n] = t(opt.step, 7 if n == 10**6 else 3)
except ImportError:
    pass
print(json.dumps(out))
`;

// --- Muon / REG on one block (512×512 and 1024×4096) ----------------------------------------------
// Single-threaded on both sides, timed in CPU seconds (time.process_time in Python), so a loaded
// machine shifts both alike.
const muonReference = (m: number, n: number, reps: number) => `
import json, time, numpy as np
def t(f, reps):
    f()
    xs = []
    for _ in range(reps):
        s = time.process_time(); f(); xs.append(time.process_time() - s)
    xs.sort(); return xs[len(xs) // 2]
rng = np.random.default_rng(0)
W = rng.standard_normal((${m}, ${n})); G = rng.standard_normal((${m}, ${n})); M = np.zeros((${m}, ${n}))
def ns5(g):
    a, b, c = 3.4445, -4.7750, 2.0315
    x = g / (np.linalg.norm(g) + 1e-7)
    wide = x.shape[0] <= x.shape[1]
    if not wide: x = x.T
    for _ in range(5):
        s = x @ x.T
        x = a * x + (b * s + c * s @ s) @ x
    return x if wide else x.T
def muon_step():
    global M, W
    M = 0.95 * M + 0.05 * G
    u = 0.05 * G + 0.95 * M
    W = W * (1 - 0.02 * 0.01) - 0.02 * ns5(u)
def polar_step():
    u, s, vt = np.linalg.svd(G, full_matrices=False)
    return u @ vt
def sinkhorn50():
    q = G * G; y = np.ones(${n})
    for _ in range(50):
        x = ${n} / (q @ y); y = ${m} / (q.T @ x)
    return np.sqrt(x)[:, None] * G * np.sqrt(y)[None, :]
print(json.dumps({'muon': t(muon_step, ${reps}), 'polar': t(polar_step, ${reps}), 'sinkhorn50': t(sinkhorn50, ${reps})}))
`;

function adamRows(ref: Record<string, number> | undefined): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const n of [1e6, 1e7]) {
    const x0 = normal(key(1), n);
    const g = normal(key(2), n);
    const s0: AdamState = adam.init({ lr: 1e-3 }, x0);
    // The driver: iterate() ping-pongs the two states adam.pingPongStates lays out in WebAssembly
    // memory (SIMD kernel); the oracle returns a fixed gradient so that only the optimizer step is timed.
    const driver = iterate(adam, () => g, { state: s0 });
    const ours = measure(() => driver.next(), { minSeconds, warmup: 3 });
    // The same driver with `threads: 2`: the calling thread and one worker step halves of a shared arena.
    const threaded = iterate(adam, () => g, { state: adam.init({ lr: 1e-3, threads: 2 }, x0) });
    const ours2 = measure(() => threaded.next(), { minSeconds, warmup: 20 });
    // stepInto between two ordinary copies: the JavaScript kernel (what a hand-written loop gets).
    const plain = [cloneState(s0), cloneState(s0)] as const;
    let sj = s0;
    let kj = 0;
    const js = measure(() => (sj = adam.stepInto!(sj, g, plain[kj++ % 2]!)), { minSeconds, warmup: 3 });
    const size = n === 1e6 ? '1e6' : '1e7';
    const np = ref?.[`numpy${n}`];
    const npNaive = ref?.[`numpyNaive${n}`];
    const th = ref?.[`torch${n}`];
    const thf = ref?.[`torchForeach${n}`];
    const op = 'adam step, driver (wasm SIMD)';
    rows.push({ operation: op, size, seconds: ours.seconds, work: n, unit: 'elem', ...(np !== undefined ? { referenceSeconds: np, reference: 'NumPy in-place' } : { reference: 'NumPy missing' }) });
    if (npNaive !== undefined) rows.push({ operation: op, size, seconds: ours.seconds, work: n, unit: 'elem', referenceSeconds: npNaive, reference: 'NumPy expressions' });
    if (th !== undefined) rows.push({ operation: op, size, seconds: ours.seconds, work: n, unit: 'elem', referenceSeconds: th, reference: 'torch Adam 1-thread' });
    if (thf !== undefined) rows.push({ operation: op, size, seconds: ours.seconds, work: n, unit: 'elem', referenceSeconds: thf, reference: 'torch Adam foreach 1-thread' });
    const op2 = 'adam step, driver (wasm SIMD, threads: 2)';
    rows.push({ operation: op2, size, seconds: ours2.seconds, work: n, unit: 'elem', ...(np !== undefined ? { referenceSeconds: np, reference: 'NumPy in-place' } : { reference: 'NumPy missing' }) });
    if (th !== undefined) rows.push({ operation: op2, size, seconds: ours2.seconds, work: n, unit: 'elem', referenceSeconds: Math.min(th, thf ?? th), reference: 'torch Adam 1-thread, faster path' });
    const opJs = 'adam stepInto, plain arrays (JS)';
    rows.push({ operation: opJs, size, seconds: js.seconds, work: n, unit: 'elem', ...(np !== undefined ? { referenceSeconds: np, reference: 'NumPy in-place' } : { reference: 'NumPy missing' }) });
    if (thf !== undefined) rows.push({ operation: opJs, size, seconds: js.seconds, work: n, unit: 'elem', referenceSeconds: thf, reference: 'torch Adam foreach 1-thread' });
    // The pure step allocates its result (three fresh arrays of n) every call.
    let s = s0;
    const pure = measure(() => (s = adam.step(s, g)), { minSeconds, warmup: 2 });
    rows.push({ operation: 'adam step, pure (allocates)', size, seconds: pure.seconds, work: n, unit: 'elem', ...(th !== undefined ? { referenceSeconds: th, reference: 'torch Adam 1-thread' } : { reference: 'torch missing' }) });
  }
  return rows;
}

function matrixRows(rowsN: number, colsN: number, ref: Record<string, number> | undefined): BenchRow[] {
  const layout = [{ name: 'W', shape: [rowsN, colsN] }];
  const x0 = normal(key(3), rowsN * colsN);
  const g = normal(key(4), rowsN * colsN);
  const big = rowsN * colsN > 512 * 512;
  const opts = { minSeconds: big ? 0 : minSeconds, warmup: 1, clock: 'cpu' as const };
  const size = `${rowsN}×${colsN}`;
  const rows: BenchRow[] = [];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const time = (method: FirstOrderMethod<any, any>, config: object, fast = true) => {
    const s0 = method.init({ layout, ...config } as never, x0);
    if (fast) {
      const bufs = [cloneState(s0), cloneState(s0)];
      let s = s0;
      let k = 0;
      return measure(() => (s = method.stepInto!(s, g, bufs[k++ % 2]!)), opts);
    }
    return measure(() => method.step(s0, g), opts);
  };
  const m = time(muon, { lr: 0.02, weightDecay: 0.01 });
  rows.push({ operation: 'muon step (NS5, EMA+Nesterov)', size, seconds: m.seconds, work: 1, unit: 'step', ...(ref ? { referenceSeconds: ref.muon, reference: 'NumPy NS5 muon step' } : { reference: 'NumPy missing' }) });
  if (!big) {
    const p = time(muon, { lr: 0.02, orthogonalizer: 'svd' }, false);
    rows.push({ operation: 'muon step (exact SVD polar)', size, seconds: p.seconds, work: 1, unit: 'step', ...(ref ? { referenceSeconds: ref.polar, reference: 'NumPy SVD polar only' } : { reference: 'NumPy missing' }) });
  }
  const r = time(reg, { lr: 1e-3 });
  rows.push({ operation: 'reg step (RACS sinkhorn 50 its)', size, seconds: r.seconds, work: 1, unit: 'step', ...(ref ? { referenceSeconds: ref.sinkhorn50, reference: 'NumPy Sinkhorn 50 its only' } : { reference: 'NumPy missing' }) });
  const o = time(reg, { lr: 1e-3, racs: 'oneshot' });
  rows.push({ operation: 'reg step (RACS oneshot)', size, seconds: o.seconds, work: 1, unit: 'step', reference: 'none' });
  return rows;
}

const adamRef = runPython<Record<string, number>>(ADAM_REF, { timeoutSeconds: 300 });
printTable('optimizers: Adam step (float64; NumPy and PyTorch single-threaded, same run)', adamRows(adamRef));
for (const [m, n] of [[512, 512], [1024, 4096]] as const) {
  const ref = runPython<Record<string, number>>(muonReference(m, n, m === 512 ? 5 : 3), { timeoutSeconds: 600 });
  printTable(`optimizers: Muon and REG step on one ${m}×${n} block (CPU seconds, one thread)`, matrixRows(m, n, ref));
}
benchSamArsam();
await terminateAdamWorkers();
