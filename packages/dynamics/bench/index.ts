// npm run bench: GD iterations per second over a 1024×1024 grid of starts, against the same computation
// vectorised in NumPy (single-threaded), measured in the same run. Ratios > 1 mean descent is faster.
import { availableParallelism } from 'node:os';
import { measure, printTable, runPython, type BenchRow } from '@descent/bench';
import { createRegionPool, createWasmMap, createWasmRegionKernel, fillScalarStarts, iterateScalarMap, planScalarVectorRegion, scalarMapKernel, scalarVectorRegion, sharedFloat64, squareGrid } from '../src/index.js';

const quick = process.argv.includes('--quick');
const minSeconds = quick ? 0.3 : 1.5;
const N = 1024;
const MAP_STEPS = 100;

// Two workloads, both on a 1024² grid:
//  - "map": the bare d = 1 GD map u' = u − η(rv + λu), v' = v − η(ru + λv), 100 steps, no checks, on
//    [-1.5, 1.5]² with y = 1, η = 0.5 (every start stays bounded, inside the ellipse E < 1);
//  - "classify": the Fig. 3 region (y = 0.5, λ = 0.2, η = 1, [-4, 4]²) with per-start early exit on
//    convergence (‖∇L‖ < 1e-9) or divergence (‖θ‖ > 1e8); NumPy keeps an active set and compacts it.
// Both sides run exactly the same float64 operations, so the step counts (and the results) are equal.
type NumpyTimes = { map: number; mapNatural: number; classify: number; classifySteps: number; classifyLong: number; classifyLongSteps: number };
const NUMPY_CODE = `
import json, time, numpy as np
def t(f, reps):
    f(); ts = []
    for _ in range(reps):
        s = time.perf_counter(); f(); ts.append(time.perf_counter() - s)
    ts.sort(); return ts[len(ts) // 2]
def axis(lo, hi, n):
    h = (hi - lo) / (n - 1)
    return np.array([lo + i * h if 2 * i < n - 1 else ((lo + hi) / 2 if 2 * i == n - 1 else hi - (n - 1 - i) * h) for i in range(n)])
N = ${N}
a = axis(-1.5, 1.5, N); U0, V0 = np.meshgrid(a, a); U0 = U0.ravel().copy(); V0 = V0.ravel().copy()
eta, y, lam = 0.5, 1.0, 0.0
r = np.empty_like(U0); gu = np.empty_like(U0); gv = np.empty_like(U0); tmp = np.empty_like(U0)
def run_map():
    u = U0.copy(); v = V0.copy()
    for _ in range(${MAP_STEPS}):
        np.multiply(u, v, out=r); np.subtract(r, y, out=r)
        np.multiply(r, v, out=gu); np.multiply(lam, u, out=tmp); np.add(gu, tmp, out=gu)
        np.multiply(r, u, out=gv); np.multiply(lam, v, out=tmp); np.add(gv, tmp, out=gv)
        np.multiply(gu, eta, out=gu); np.subtract(u, gu, out=u)
        np.multiply(gv, eta, out=gv); np.subtract(v, gv, out=v)
    return u, v
def run_map_natural():
    # The way the map is usually written: one expression per update, NumPy allocating temporaries.
    u = U0.copy(); v = V0.copy()
    for _ in range(${MAP_STEPS}):
        r = u * v - y
        u, v = u - eta * (r * v + lam * u), v - eta * (r * u + lam * v)
    return u, v
b = axis(-4.0, 4.0, N); A0, B0 = np.meshgrid(b, b); A0 = A0.ravel().copy(); B0 = B0.ravel().copy()
c = axis(-3.0, 3.0, N); C0, D0 = np.meshgrid(c, c); C0 = C0.ravel().copy(); D0 = D0.ravel().copy()
def run_classify(y2=0.5, lam2=0.2, eta2=1.0, T=1000, start=None):
    u, v = (A0.copy(), B0.copy()) if start is None else (start[0].copy(), start[1].copy())
    idx = np.arange(u.size); steps = np.zeros(u.size, np.int64)
    uu, vv = u, v
    for t in range(T):
        if idx.size == 0: break
        rr = uu * vv - y2
        g1 = rr * vv + lam2 * uu
        g2 = rr * uu + lam2 * vv
        done = g1 * g1 + g2 * g2 < 1e-18
        steps[idx[done]] = t
        keep = ~done
        idx, uu, vv, g1, g2 = idx[keep], uu[keep], vv[keep], g1[keep], g2[keep]
        uu = uu - eta2 * g1; vv = vv - eta2 * g2
        div = ~(uu * uu + vv * vv <= 1e16)
        steps[idx[div]] = t + 1
        keep = ~div
        idx, uu, vv = idx[keep], uu[keep], vv[keep]
    steps[idx] = T
    return int(steps.sum())
total = run_classify()
long_run = lambda: run_classify(1.0, 0.0, 0.9, 20000, (C0, D0))
total_long = long_run()
print(json.dumps({'map': t(run_map, 3), 'mapNatural': t(run_map_natural, 3), 'classify': t(run_classify, 3), 'classifySteps': total, 'classifyLong': t(long_run, 1), 'classifyLongSteps': total_long}))
`;
// The machine is shared: NumPy is timed before and after our measurements and the faster of the two
// medians is used, so load swings bias the ratio against us, not for us.
const numpyBefore = runPython<NumpyTimes>(NUMPY_CODE);
const numpy = numpyBefore;
const numpyLabel = numpy ? 'NumPy 1-thread' : 'NumPy (not installed)';

const rows: BenchRow[] = [];
const refKeys: (keyof NumpyTimes)[] = [];
const push = (row: BenchRow, key: keyof NumpyTimes): void => {
  rows.push(row);
  refKeys.push(key);
};

// --- bare map, single thread ---
const mapPlan = planScalarVectorRegion({ y: 1, eta: 0.5, grid: squareGrid(1.5, N) }, 'bench');
const x0 = new Float64Array(N * N);
const z0 = new Float64Array(N * N);
fillScalarStarts(mapPlan, x0, z0);
const x = new Float64Array(N * N);
const z = new Float64Array(N * N);
const mapWork = N * N * MAP_STEPS;
const simd = createWasmMap() !== undefined;
const mapOne = measure(
  () => {
    x.set(x0);
    z.set(z0);
    iterateScalarMap(x, z, { eta: 0.5, y: 1, steps: MAP_STEPS });
  },
  { minSeconds },
);
const mapName = simd ? 'GD map, 100 steps (wasm SIMD)' : 'GD map, 100 steps (JS, no SIMD)';
const clsName = createWasmRegionKernel() ? 'wasm SIMD' : 'JS';
push({ operation: mapName, size: `${N}² grid`, seconds: mapOne.seconds, work: mapWork, unit: 'it', reference: `${numpyLabel} (in place, out=)` }, 'map');
push({ operation: mapName, size: `${N}² grid`, seconds: mapOne.seconds, work: mapWork, unit: 'it', reference: `${numpyLabel} (expressions)` }, 'mapNatural');
const mapJs = measure(
  () => {
    x.set(x0);
    z.set(z0);
    scalarMapKernel(x, z, 0, N * N, 0.5, 1, 0, MAP_STEPS);
  },
  { minSeconds },
);
push({ operation: 'GD map, 100 steps (JS 4-lane)', size: `${N}² grid`, seconds: mapJs.seconds, work: mapWork, unit: 'it', reference: `${numpyLabel} (in place, out=)` }, 'map');

// --- classification (Fig. 3 region), single thread ---
const fig3 = { y: 0.5, lambda: 0.2, eta: 1, grid: squareGrid(4, N), maxSteps: 1000 };
const steps = scalarVectorRegion(fig3).totalSteps;
if (numpy && numpy.classifySteps !== steps) throw new Error(`step counts differ: ours ${steps}, NumPy ${numpy.classifySteps}`);
const clsOne = measure(() => scalarVectorRegion(fig3), { minSeconds });
push({ operation: `classify region (Fig. 3), ${clsName}`, size: `${N}² grid`, seconds: clsOne.seconds, work: steps, unit: 'it', reference: numpyLabel, note: `${(steps / N / N).toFixed(1)} steps/start` }, 'classify');
const clsJs = measure(() => scalarVectorRegion({ ...fig3, simd: false }), { minSeconds });
push({ operation: 'classify region (Fig. 3), JS kernel', size: `${N}² grid`, seconds: clsJs.seconds, work: steps, unit: 'it', reference: numpyLabel }, 'classify');

// --- classification with long orbits: unregularized, η = 0.9 (η* = 1), [-3, 3]², budget 2·10⁴ ---
const near = { y: 1, eta: 0.9, grid: squareGrid(3, N), maxSteps: 20000 };
const stepsLong = scalarVectorRegion(near).totalSteps;
if (numpy && numpy.classifyLongSteps !== stepsLong) throw new Error(`step counts differ: ours ${stepsLong}, NumPy ${numpy.classifyLongSteps}`);
const longOne = measure(() => scalarVectorRegion(near), { minSeconds });
push({ operation: `classify region (λ = 0, η = 0.9), ${clsName}`, size: `${N}² grid`, seconds: longOne.seconds, work: stepsLong, unit: 'it', reference: numpyLabel, note: `${(stepsLong / N / N).toFixed(1)} steps/start` }, 'classifyLong');
const longJs = measure(() => scalarVectorRegion({ ...near, simd: false }), { minSeconds });
push({ operation: 'classify region (λ = 0, η = 0.9), JS kernel', size: `${N}² grid`, seconds: longJs.seconds, work: stepsLong, unit: 'it', reference: numpyLabel }, 'classifyLong');

// --- worker threads, every core ---
const cores = availableParallelism();
const pool = createRegionPool(cores);
const xs = sharedFloat64(N * N);
const zs = sharedFloat64(N * N);
const timeAsync = async (f: () => Promise<unknown>, reps: number): Promise<number> => {
  await f();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await f();
    ts.push((performance.now() - t0) / 1000);
  }
  ts.sort((a, b) => a - b);
  return ts[ts.length >> 1]!;
};
const reps = quick ? 3 : 7;
const mapPar = await timeAsync(async () => {
  xs.set(x0);
  zs.set(z0);
  await pool.scalarMap(xs, zs, { eta: 0.5, y: 1, steps: MAP_STEPS });
}, reps);
push({ operation: `${mapName}, ${cores} workers`, size: `${N}² grid`, seconds: mapPar, work: mapWork, unit: 'it', reference: `${numpyLabel} (in place, out=)`, note: `${(mapOne.seconds / mapPar).toFixed(2)}x over 1 thread` }, 'map');
const clsPar = await timeAsync(() => pool.scalarVectorRegion(fig3), reps);
push({ operation: `classify region (Fig. 3), ${cores} workers`, size: `${N}² grid`, seconds: clsPar, work: steps, unit: 'it', reference: numpyLabel, note: `${(clsOne.seconds / clsPar).toFixed(2)}x over 1 thread` }, 'classify');
const longPar = await timeAsync(() => pool.scalarVectorRegion(near), reps);
push({ operation: `classify region (λ = 0, η = 0.9), ${cores} workers`, size: `${N}² grid`, seconds: longPar, work: stepsLong, unit: 'it', reference: numpyLabel, note: `${(longOne.seconds / longPar).toFixed(2)}x over 1 thread` }, 'classifyLong');
await pool.close();

const numpyAfter = runPython<NumpyTimes>(NUMPY_CODE);
rows.forEach((r, i) => {
  const k = refKeys[i]!;
  const times = [numpyBefore?.[k], numpyAfter?.[k]].filter((v): v is number => v !== undefined);
  if (times.length > 0) r.referenceSeconds = Math.min(...times);
});

printTable('@descent/dynamics: GD over a grid of initializations', rows);
