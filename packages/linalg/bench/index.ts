// npm run bench: linalg kernels against ml-matrix and NumPy (single-threaded BLAS/LAPACK), measured in
// the same run. Ratios > 1 mean descent is faster.
import { measure, printTable, runPython, type BenchRow } from '@descent/bench';
import { Matrix as MlMatrix, SingularValueDecomposition } from 'ml-matrix';
import { key, newtonSchulz, normal, polar, svd, type Matrix } from '../src/index.js';
import { toMlMatrix } from '../src/mlmatrix/index.js';
import { kernelRows } from './kernels.js';

const quick = process.argv.includes('--quick');
const minSeconds = quick ? 0.3 : 1;

function random(n: number, seed: number): Matrix {
  return { rows: n, cols: n, data: normal(key(seed), n * n) };
}

const numpy = runPython<Record<string, number>>(`
import json, time, numpy as np
def t(f, reps):
    f(); best = []
    for _ in range(reps):
        s = time.perf_counter(); f(); best.append(time.perf_counter() - s)
    best.sort(); return best[len(best) // 2]
rng = np.random.default_rng(0)
a256, b256 = rng.standard_normal((256, 256)), rng.standard_normal((256, 256))
a512, b512 = rng.standard_normal((512, 512)), rng.standard_normal((512, 512))
def ns5(g):
    a, b, c = 3.4445, -4.7750, 2.0315
    x = g / (np.linalg.norm(g) + 1e-7)
    for _ in range(5):
        s = x @ x.T
        x = a * x + (b * s + c * s @ s) @ x
    return x
def polar_svd(g):
    u, s, vt = np.linalg.svd(g, full_matrices=False)
    return u @ vt
print(json.dumps({
  'svd256': t(lambda: np.linalg.svd(a256), 5),
  'ns512': t(lambda: ns5(a512), 5), 'polar512': t(lambda: polar_svd(a512), 3),
}))
`);
const ref = (name: string) => (numpy ? numpy[name] : undefined);
const numpyLabel = numpy ? 'NumPy 1-thread' : 'NumPy (not installed)';

const rows: BenchRow[] = kernelRows(minSeconds);
{
  const a = random(256, 3);
  const ours = measure(() => svd(a), { minSeconds });
  const ma = toMlMatrix(a);
  const ml = measure(() => new SingularValueDecomposition(ma as MlMatrix), { minSeconds });
  rows.push({ operation: 'svd (thin, U S V)', size: '256×256', seconds: ours.seconds, referenceSeconds: ml.seconds, reference: 'ml-matrix SVD' });
  rows.push({ operation: 'svd (thin, U S V)', size: '256×256', seconds: ours.seconds, referenceSeconds: ref('svd256'), reference: numpyLabel });
}
{
  const g = random(512, 4);
  const ns = measure(() => newtonSchulz(g), { minSeconds, warmup: 1 });
  rows.push({ operation: 'polar by Newton–Schulz (5 steps)', size: '512×512', seconds: ns.seconds, work: 5 * 3 * 2 * 512 ** 3, unit: 'flop', referenceSeconds: ref('ns512'), reference: numpyLabel });
  const ps = measure(() => polar(g), { minSeconds, warmup: 1 });
  rows.push({ operation: 'polar by SVD', size: '512×512', seconds: ps.seconds, referenceSeconds: ref('polar512'), reference: numpyLabel });
}
printTable('@descent/linalg', rows);
await import('./decompositions.js');
