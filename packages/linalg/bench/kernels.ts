// Dense kernels (gemm, syrk, gemv) against NumPy (OpenBLAS) and ml-matrix, measured in the same run.
// NumPy runs once with one BLAS thread and once with as many as the machine has cores; ratios > 1
// mean descent is faster. One-thread rows time CPU seconds on both sides (time.process_time in Python),
// so a loaded machine shifts both alike; multi-thread rows time wall seconds. Both sides write into an
// existing output (gemmInto, np.matmul(..., out=)): a fresh multi-megabyte array per call costs V8
// page faults and garbage collection that have nothing to do with the kernel (one row shows it).
import { availableParallelism } from 'node:os';
import { measure, runPython, type BenchRow } from '@descent/bench';
import { gemm, gemmInto, gemvInto, gramInto, key, normal, zeros, type Matrix } from '../src/index.js';
import { toMlMatrix } from '../src/mlmatrix/index.js';
import { terminateGemmWorkers } from '../src/kernels/gemm-threads.js';
import { numpyPrelude } from './numpy.js';

const random = (rows: number, cols: number, seed: number): Matrix => ({ rows, cols, data: normal(key(seed), rows * cols) });

const numpy = (clock: 'process_time' | 'perf_counter') => `${numpyPrelude(clock)}
m = {n: (rng.standard_normal((n, n)), rng.standard_normal((n, n))) for n in (256, 512, 1024)}
c = {n: np.empty((n, n)) for n in (256, 512, 1024)}
x2048, a2048, y2048 = rng.standard_normal(2048), rng.standard_normal((2048, 2048)), np.empty(2048)
print(json.dumps({
  'gemm256': t(lambda: np.matmul(m[256][0], m[256][1], out=c[256]), 30),
  'gemm512': t(lambda: np.matmul(m[512][0], m[512][1], out=c[512]), 15),
  'gemm1024': t(lambda: np.matmul(m[1024][0], m[1024][1], out=c[1024]), 5),
  'gemm512new': t(lambda: m[512][0] @ m[512][1], 15),
  'syrk512': t(lambda: np.matmul(m[512][0].T, m[512][0], out=c[512]), 15),
  'gemv2048': t(lambda: np.matmul(a2048, x2048, out=y2048), 50), 'gemvT2048': t(lambda: np.matmul(a2048.T, x2048, out=y2048), 50),
}))
`;

/** Kernel rows: gemm at 256/512/1024 on one thread and on every core, syrk 512, gemv 2048. */
export function kernelRows(minSeconds: number): BenchRow[] {
  const cores = Math.max(1, availableParallelism());
  const numpy1 = runPython<Record<string, number>>(numpy('process_time'));
  const numpyAll = runPython<Record<string, number>>(numpy('perf_counter'), { threads: cores });
  const label1 = numpy1 ? 'NumPy 1-thread (CPU s)' : 'NumPy (not installed)';
  const labelAll = numpyAll ? `NumPy ${cores}-thread` : 'NumPy (not installed)';
  const rows: BenchRow[] = [];
  for (const n of [256, 512, 1024]) {
    const a = random(n, n, 1);
    const b = random(n, n, 2);
    const c = zeros(n, n);
    const flop = 2 * n ** 3;
    const one = measure(() => gemmInto(a, b, c, { threads: 1 }), { minSeconds, clock: 'cpu' });
    rows.push({ operation: 'gemm, 1 thread', size: `${n}×${n}`, seconds: one.seconds, work: flop, unit: 'flop', referenceSeconds: numpy1?.[`gemm${n}`], reference: label1 });
    if (n === 512) {
      const fresh = measure(() => gemm(a, b, { threads: 1 }), { minSeconds, clock: 'cpu' });
      rows.push({ operation: 'gemm, 1 thread, new C per call', size: `${n}×${n}`, seconds: fresh.seconds, work: flop, unit: 'flop', referenceSeconds: numpy1?.['gemm512new'], reference: `${label1}, a @ b` });
      const ma = toMlMatrix(a);
      const mb = toMlMatrix(b);
      const ml = measure(() => ma.mmul(mb), { minSeconds, clock: 'cpu' });
      rows.push({ operation: 'gemm, 1 thread, new C per call', size: `${n}×${n}`, seconds: fresh.seconds, work: flop, unit: 'flop', referenceSeconds: ml.seconds, reference: 'ml-matrix mmul' });
    }
    const all = measure(() => gemmInto(a, b, c, { threads: cores }), { minSeconds });
    rows.push({ operation: `gemm, ${cores} threads`, size: `${n}×${n}`, seconds: all.seconds, work: flop, unit: 'flop', referenceSeconds: numpyAll?.[`gemm${n}`], reference: labelAll });
  }
  {
    const a = random(512, 512, 3);
    const out = zeros(512, 512);
    const s = measure(() => gramInto(a, out), { minSeconds, clock: 'cpu' });
    rows.push({ operation: 'syrk AᵀA (gram), 1 thread', size: '512×512', seconds: s.seconds, work: 2 * 512 ** 3, unit: 'flop (as gemm)', referenceSeconds: numpy1?.['syrk512'], reference: label1 });
  }
  {
    const a = random(2048, 2048, 4);
    const x = normal(key(5), 2048);
    const y = new Float64Array(2048);
    const v = measure(() => gemvInto(a, x, y), { minSeconds, clock: 'cpu' });
    rows.push({ operation: 'gemv A·x', size: '2048×2048', seconds: v.seconds, work: 2 * 2048 ** 2, unit: 'flop', referenceSeconds: numpy1?.['gemv2048'], reference: label1 });
    const vt = measure(() => gemvInto(a, x, y, { trans: true }), { minSeconds, clock: 'cpu' });
    rows.push({ operation: 'gemv Aᵀ·x', size: '2048×2048', seconds: vt.seconds, work: 2 * 2048 ** 2, unit: 'flop', referenceSeconds: numpy1?.['gemvT2048'], reference: label1 });
  }
  void terminateGemmWorkers();
  return rows;
}
