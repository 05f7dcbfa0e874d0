// npm run bench: forward+backward edge operations per second on HCLT over Plants (K = 16, 32), time
// per EM epoch on NLTCS and Plants, the anemone update, and the queries, each against a NumPy
// implementation of the same pass (per-variable K×K blocks with matmul, single-threaded BLAS)
// measured in the same run. Ratios > 1 mean descent is faster. `--quick` shortens every measurement.
import { fileURLToPath } from 'node:url';
import { measure, printTable, runPython, type BenchRow } from '@descent/bench';
import { key } from '@descent/linalg';
import {
  anemone, batchStatistics, batchStatisticsInto, chowLiuTree, compile, emptyStatistics, fullBatchEm, hcltFromTree,
  loadDebd, logLikelihood, mapQuery, sample, type CompiledCircuit, type DebdName,
} from '../src/index.js';

const quick = process.argv.includes('--quick');
const minSeconds = quick ? 0.3 : 1;
const B = 512;
const dataDir = fileURLToPath(new URL('../data/', import.meta.url));

const sets = { nltcs: loadDebd('nltcs', 'train'), plants: loadDebd('plants', 'train') } as const;
const trees = { nltcs: chowLiuTree(sets.nltcs), plants: chowLiuTree(sets.plants) } as const;

// The NumPy reference: the same HCLT (same tree, same K) as per-variable blocks. Forward:
// P = leaf + Σ children (B×K), E = exp(P - max), S = E Wᵀ, R = log S + max. Backward:
// Q = F / S, EF += W ∘ (Qᵀ E), F_children = E ∘ (Q W), leaf statistics from F.
const numpy = runPython<Record<string, number>>(`
import gzip, json, time, numpy as np
def t(f, reps):
    f(); ts = []
    for _ in range(reps):
        s = time.perf_counter(); f(); ts.append(time.perf_counter() - s)
    ts.sort(); return ts[len(ts) // 2]
def load(name):
    with gzip.open(${JSON.stringify(dataDir)} + name + '.train.data.gz', 'rt') as f:
        return np.array([[int(v) for v in l.strip().split(',')] for l in f if l.strip()], dtype=np.float64)
class HCLT:
    def __init__(self, parent, K, rng):
        n = len(parent); self.K = K
        self.ch = [[] for _ in range(n)]
        for v, p in enumerate(parent):
            if p >= 0: self.ch[p].append(v)
        self.root = parent.index(-1)
        order, stack = [], [(self.root, False)]
        while stack:
            v, done = stack.pop()
            if done: order.append(v); continue
            stack.append((v, True)); stack.extend((c, False) for c in self.ch[v])
        self.order = order
        self.inner = [v for v in order if self.ch[v] or v == self.root]
        self.p = rng.uniform(0.1, 0.9, size=(n, K))
        self.W = {}
        for v in self.inner:
            w = np.exp(-2 * rng.uniform(size=(1 if v == self.root else K, K)))
            self.W[v] = w / w.sum(1, keepdims=True)
    def stats(self, X, EF, S1, T):
        lp, lq = np.log(self.p), np.log1p(-self.p)
        L = {}; cache = {}
        for v in self.order:
            leaf = np.where(X[:, v:v+1] == 1, lp[v], lq[v])
            if v not in self.W: L[v] = leaf; continue
            P = leaf + sum(L[c] for c in self.ch[v]) if self.ch[v] else leaf
            m = P.max(1, keepdims=True); E = np.exp(P - m); S = E @ self.W[v].T
            L[v] = np.log(S) + m; cache[v] = (E, S)
        F = {self.root: np.ones((X.shape[0], 1))}
        FL = {}
        for v in reversed(self.inner):
            E, S = cache[v]; Q = F[v] / S
            EF[v] += self.W[v] * (Q.T @ E)
            FP = E * (Q @ self.W[v])
            FL[v] = FP
            for c in self.ch[v]: F[c] = FP
        for v in self.order:
            f = FL[v] if v in self.W else F[v]
            S1[v] += (f * X[:, v:v+1]).sum(0); T[v] += f.sum(0)
        return L[self.root]
    def epoch(self, X, B):
        EF = {v: np.zeros_like(w) for v, w in self.W.items()}
        S1 = np.zeros_like(self.p); T = np.zeros_like(self.p)
        for s in range(0, X.shape[0], B): self.stats(X[s:s+B], EF, S1, T)
        for v in self.W: self.W[v] = EF[v] / EF[v].sum(1, keepdims=True)
        self.p = S1 / T
rng = np.random.default_rng(0)
out = {}
trees = ${JSON.stringify({ nltcs: Array.from(trees.nltcs.parent), plants: Array.from(trees.plants.parent) })}
for name in ('nltcs', 'plants'):
    X = load(name)
    for K in ((16, 32) if name == 'plants' else (16,)):
        h = HCLT(trees[name], K, rng)
        EF = {v: np.zeros_like(w) for v, w in h.W.items()}; S1 = np.zeros_like(h.p); T = np.zeros_like(h.p)
        out[f'fb_{name}_{K}'] = t(lambda: h.stats(X[:${B}], EF, S1, T), ${quick ? 3 : 10})
    h = HCLT(trees[name], 16, rng)
    out[f'epoch_{name}'] = t(lambda: h.epoch(X, ${B}), ${quick ? 1 : 3})
print(json.dumps(out))
`);
const ref = (name: string) => (numpy ? numpy[name] : undefined);
const numpyLabel = numpy ? 'NumPy 1-thread' : 'NumPy (not installed)';

function hcltOn(name: DebdName, K: number): CompiledCircuit {
  return compile(hcltFromTree(trees[name], { K, key: key(1) }));
}

const rows: BenchRow[] = [];
const firstRows = Int32Array.from({ length: B }, (_, i) => i);

// Forward + backward (flows and statistics) over one batch of 512.
for (const [name, K] of [['plants', 16], ['plants', 32], ['nltcs', 16]] as const) {
  const cc = hcltOn(name, K);
  const out = emptyStatistics(cc);
  const m = measure(() => batchStatisticsInto(cc, cc.params, sets[name], out, { rows: firstRows, check: false }), { minSeconds });
  rows.push({
    operation: 'forward+backward (flows)', size: `HCLT K=${K}, ${name}, B=${B}, ${cc.numSumParams} sum edges`,
    seconds: m.seconds, work: cc.numSumParams * B, unit: 'edge-op',
    referenceSeconds: ref(`fb_${name}_${K}`), reference: numpyLabel,
    note: 'target ≥ 2e8 edge-op/s',
  });
}

// One full-batch EM epoch (statistics over the whole training set + M-step).
for (const name of ['nltcs', 'plants'] as const) {
  const cc = hcltOn(name, 16);
  const data = sets[name];
  let state = fullBatchEm.init({ circuit: cc, check: false }, cc.params);
  const out = emptyStatistics(cc);
  const m = measure(
    () => {
      batchStatisticsInto(cc, state.query, data, out, { check: false });
      state = fullBatchEm.step(state, out);
    },
    { minSeconds: quick ? 0.5 : 2, warmup: 1 },
  );
  rows.push({
    operation: 'full-batch EM epoch', size: `HCLT K=16, ${name}, ${data.rows}×${data.cols}`,
    seconds: m.seconds, work: cc.numSumParams * data.rows, unit: 'edge-op',
    referenceSeconds: ref(`epoch_${name}`), reference: numpyLabel,
  });
}

// The anemone update itself (top-down pass + M-step; no data), and the queries.
{
  const cc = hcltOn('plants', 32);
  const obs = batchStatistics(cc, cc.params, sets.plants, { rows: firstRows });
  const s0 = anemone.init({ circuit: cc, check: false }, cc.params);
  const spare = anemone.step(s0, obs);
  const m = measure(() => anemone.stepInto(s0, obs, spare), { minSeconds });
  rows.push({ operation: 'anemone update (TD + M-step)', size: `HCLT K=32, plants, ${cc.numParams} params`, seconds: m.seconds, work: cc.numParams, unit: 'param', reference: 'not measured' });
  const batch = { rows: B, cols: 69, data: sets.plants.data.slice(0, B * 69) };
  const ll = measure(() => logLikelihood(cc, cc.params, batch, { check: false }), { minSeconds });
  rows.push({ operation: 'log-likelihood (forward)', size: `HCLT K=32, plants, B=${B}`, seconds: ll.seconds, work: cc.numSumParams * B, unit: 'edge-op', reference: 'not measured' });
  const missing = new Uint8Array(B * 69);
  for (let i = 0; i < missing.length; i += 2) missing[i] = 1;
  const mp = measure(() => mapQuery(cc, cc.params, batch, { missing, check: false }), { minSeconds });
  rows.push({ operation: 'MAP (max-product + backtrack)', size: `HCLT K=32, plants, B=${B}, half missing`, seconds: mp.seconds, work: B, unit: 'row', reference: 'not measured' });
  const sm = measure(() => sample(cc, cc.params, key(0), B, { check: false }), { minSeconds });
  rows.push({ operation: 'unconditional sampling', size: `HCLT K=32, plants, ${B} samples`, seconds: sm.seconds, work: B, unit: 'sample', reference: 'not measured' });
}

printTable('@descent/circuits', rows);
