// Decompositions and orthogonalisation against NumPy (LAPACK/OpenBLAS with one BLAS thread) measured in
// the same run: SVD 256/512, eigh 256/512, QR 512, Newton–Schulz (5 steps) 512, polar by SVD 512.
// Ratios > 1 mean descent is faster. Every descent call runs on one thread (the kernels' default); both
// sides are timed in CPU seconds of the process (fair on a loaded machine).
import { measure, printTable, runPython, type BenchRow } from '@descent/bench';
import { Matrix as MlMatrix, SingularValueDecomposition } from 'ml-matrix';
import {
  eigh, key, newtonSchulzInto, newtonSchulzWorkspace, normal, polarInto, polarWorkspace, qr, svd, zeros, type Matrix,
} from '../src/index.js';
import { toMlMatrix } from '../src/mlmatrix/index.js';
import { numpyPrelude } from './numpy.js';

const quick = process.argv.includes('--quick');
const minSeconds = quick ? 0.3 : 1;

const NUMPY = `${numpyPrelude('process_time')}
a = {n: rng.standard_normal((n, n)) for n in (256, 512)}
sym = {n: (lambda g: g + g.T)(rng.standard_normal((n, n))) for n in (256, 512)}
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
  'svd256': t(lambda: np.linalg.svd(a[256], full_matrices=False), 5),
  'svd512': t(lambda: np.linalg.svd(a[512], full_matrices=False), 3),
  'eigh256': t(lambda: np.linalg.eigh(sym[256]), 5),
  'eigh512': t(lambda: np.linalg.eigh(sym[512]), 3),
  'qr512': t(lambda: np.linalg.qr(a[512]), 5),
  'ns512': t(lambda: ns5(a[512]), 5),
  'polar512': t(lambda: polar_svd(a[512]), 3),
}))
`;

function random(n: number, seed: number): Matrix {
  return { rows: n, cols: n, data: normal(key(seed), n * n) };
}

function symmetric(n: number, seed: number): Matrix {
  const g = normal(key(seed), n * n);
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) data[i * n + j] = g[i * n + j]! + g[j * n + i]!;
  return { rows: n, cols: n, data };
}

const numpy = runPython<Record<string, number>>(NUMPY);
const label = numpy ? 'NumPy 1-thread' : 'NumPy (not installed)';
const rows: BenchRow[] = [];
const once = { minSeconds, warmup: 1, clock: 'cpu' as const };
for (const n of [256, 512]) {
  const a = random(n, 10 + n);
  rows.push({ operation: 'svd (thin, U S V; divide and conquer)', size: `${n}×${n}`, seconds: measure(() => svd(a), once).seconds, referenceSeconds: numpy?.[`svd${n}`], reference: label });
  if (n === 256) {
    rows.push({ operation: "svd (thin, U S V; method 'qr')", size: '256×256', seconds: measure(() => svd(a, { method: 'qr' }), once).seconds, referenceSeconds: numpy?.['svd256'], reference: label });
    const ma = toMlMatrix(a) as MlMatrix;
    const ml = measure(() => new SingularValueDecomposition(ma), once);
    rows.push({ operation: 'svd (thin, U S V; divide and conquer)', size: '256×256', seconds: rows[rows.length - 2]!.seconds, referenceSeconds: ml.seconds, reference: 'ml-matrix SVD' });
  }
}
for (const n of [256, 512]) {
  const s = symmetric(n, 20 + n);
  rows.push({ operation: 'eigh (values and vectors)', size: `${n}×${n}`, seconds: measure(() => eigh(s), once).seconds, referenceSeconds: numpy?.[`eigh${n}`], reference: label });
}
{
  const a = random(512, 30);
  rows.push({ operation: 'qr (thin Q and R)', size: '512×512', seconds: measure(() => qr(a), once).seconds, referenceSeconds: numpy?.['qr512'], reference: label });
}
{
  const g = random(512, 40);
  const out = zeros(512, 512);
  const nsWs = newtonSchulzWorkspace(512, 512);
  const ns = measure(() => newtonSchulzInto(g, out, { workspace: nsWs }), once);
  rows.push({ operation: 'Newton–Schulz, 5 steps (Into, workspace)', size: '512×512', seconds: ns.seconds, work: 5 * 3 * 2 * 512 ** 3, unit: 'flop', referenceSeconds: numpy?.['ns512'], reference: label });
  const pWs = polarWorkspace(512, 512);
  const ps = measure(() => polarInto(g, out, { workspace: pWs }), once);
  rows.push({ operation: 'polar by SVD (Into, workspace)', size: '512×512', seconds: ps.seconds, referenceSeconds: numpy?.['polar512'], reference: label });
}
printTable('@descent/linalg decompositions', rows);
