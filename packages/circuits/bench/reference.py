# The NumPy reference of the circuits bench: the same compiled circuit (structure and parameters,
# exported by bench/index.ts as raw arrays), evaluated layer by layer, vectorised over the batch:
# products by np.add.reduceat over their children, each sum group as a dense block
# log(W @ exp(L_children - max)) + max; the flow pass the same way (R = F / S, F_children += E * (Wᵀ R),
# EF += W * (R Eᵀ)); input statistics from the flows. Single-threaded BLAS (runPython sets the env),
# timed in CPU seconds (time.process_time).
# argv: a JSON list of {dir, key} to time, the data file, the batch size, the repetitions.
import gzip, json, sys, time
import numpy as np

def median_time(f, reps):
    # CPU seconds, like the descent side: on a loaded shared machine wall time measures the neighbours.
    f()
    ts = []
    for _ in range(reps):
        s = time.process_time(); f(); ts.append(time.process_time() - s)
    ts.sort()
    return ts[len(ts) // 2]

class Circuit:
    def __init__(self, d):
        meta = json.load(open(d + '/meta.json'))
        rd = lambda name, dt: np.fromfile(f'{d}/{name}.bin', dtype=dt)
        self.N, nl = meta['numNodes'], meta['numLeaves']
        self.nl = nl
        kind = rd('kind', np.uint8); child_ptr = rd('childPtr', np.int32); child = rd('child', np.int32)
        param_ptr = rd('paramPtr', np.int32); params = rd('params', np.float64); variable = rd('variable', np.int32)
        group_of = rd('groupOf', np.int32); group_size = rd('groupSize', np.int32)
        group_child_ptr = rd('groupChildPtr', np.int32); group_child = rd('groupChild', np.int32)
        assert (kind[:nl] == 0).all(), 'the bench circuits have Bernoulli inputs only'
        self.leaf_var = variable[:nl]
        p = params[param_ptr[:nl]]
        self.lp, self.lq = np.log(p)[:, None], np.log1p(-p)[:, None]
        # Steps in compiled order: a run of consecutive products, or one sum group.
        self.steps = []
        i = nl
        while i < self.N:
            if kind[i] == 4:
                j = i
                while j < self.N and kind[j] == 4: j += 1
                flat = child[child_ptr[i]:child_ptr[j]]
                starts = child_ptr[i:j] - child_ptr[i]
                arity = np.diff(child_ptr[i:j + 1])
                unique = len(np.unique(flat)) == len(flat)
                self.steps.append(('prod', i, j, flat, starts, arity, unique))
                i = j
            else:
                g = group_of[i]; G = group_size[g]
                ch = group_child[group_child_ptr[g]:group_child_ptr[g + 1]]
                k = len(ch); w0 = param_ptr[i]
                self.steps.append(('sum', i, i + G, ch, np.ascontiguousarray(params[w0:w0 + G * k].reshape(G, k)), w0))
                i += G
        self.num_sum_params = meta['numSumParams']

    def forward(self, X):
        # X: B × numVars. L is node-major (N × B), as in descent.
        B = X.shape[0]
        L = np.empty((self.N, B))
        xl = X.T[self.leaf_var]
        L[:self.nl] = np.where(xl == 1, self.lp, self.lq)
        cache = []
        for st in self.steps:
            if st[0] == 'prod':
                _, i, j, flat, starts, _, _ = st
                L[i:j] = np.add.reduceat(L[flat], starts, axis=0)
                cache.append(None)
            else:
                _, i, j, ch, W, _ = st
                A = L[ch]
                m = A.max(0)
                E = np.exp(A - m)
                S = W @ E
                L[i:j] = np.log(S) + m
                cache.append((E, S))
        return L, cache

    def statistics(self, X, EF, S1, T):
        L, cache = self.forward(X)
        F = np.zeros_like(L)
        F[-1] = 1
        for st, c in zip(reversed(self.steps), reversed(cache)):
            if st[0] == 'prod':
                _, i, j, flat, _, arity, unique = st
                up = np.repeat(F[i:j], arity, axis=0)
                if unique: F[flat] += up
                else: np.add.at(F, flat, up)
            else:
                _, i, j, ch, W, w0 = st
                E, S = c
                R = F[i:j] / S
                F[ch] += E * (W.T @ R)
                EF[w0:w0 + W.size] += (W * (R @ E.T)).ravel()
        fl = F[:self.nl]
        S1 += (fl * X.T[self.leaf_var]).sum(1)
        T += fl.sum(1)
        return L[-1]

    def epoch(self, X, B):
        # Full-batch EM: statistics over the data in batches of B, then the M-step.
        EF = np.zeros(self.num_sum_params); S1 = np.zeros(self.nl); T = np.zeros(self.nl)
        for s in range(0, X.shape[0], B): self.statistics(X[s:s + B], EF, S1, T)
        for st in self.steps:
            if st[0] == 'sum':
                W, w0 = st[4], st[5]
                e = EF[w0:w0 + W.size].reshape(W.shape)
                W[:] = e / e.sum(1, keepdims=True)
        p = S1 / T
        self.lp, self.lq = np.log(p)[:, None], np.log1p(-p)[:, None]

def load(path):
    with gzip.open(path, 'rt') as f:
        return np.array([[int(v) for v in l.strip().split(',')] for l in f if l.strip()], dtype=np.float64)

jobs, B, reps = json.loads(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
out = {}
for job in jobs:
    pc = Circuit(job['dir'])
    X = load(job['data'])
    if job.get('epoch'):
        out['epoch_' + job['key']] = median_time(lambda: pc.epoch(X, B), max(1, reps // 3))
        continue
    X = X[:B]
    EF = np.zeros(pc.num_sum_params); S1 = np.zeros(pc.nl); T = np.zeros(pc.nl)
    out['fwd_' + job['key']] = median_time(lambda: pc.forward(X), reps)
    out['fb_' + job['key']] = median_time(lambda: pc.statistics(X, EF, S1, T), reps)
    # The bench checks that both sides computed the same log-likelihoods.
    out['ll_' + job['key']] = float(pc.forward(X)[0][-1].sum())
print(json.dumps(out))
