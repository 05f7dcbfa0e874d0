// SAM vs ARSAM on the spiral MLP: time per step and gradient evaluations per step, with PyTorch's
// SAM step (davda54 rule, float64, same MLP and batch) as the reference. Run: npx tsx bench/sam-arsam.ts
import { measure, printTable, runPython, type BenchRow } from '@descent/bench';
import { key } from '@descent/linalg';
import { arsam, cloneState, sam, sgd, type Method, type MethodState } from '../src/index.js';
import { batchIndices, mlpLossGrad, mlpSize, standardProblem } from './spiral-mlp.js';

interface Counted extends MethodState {
  readonly gradEvals?: number;
}

/** Times `steps` optimizer steps (ping-pong stepInto) from a warmed-up state; returns s/step and evals/step. */
function timeSteps<S extends Counted>(method: Method<unknown, S, Float64Array>, start: S, steps: number, p: ReturnType<typeof standardProblem>): { seconds: number; evalsPerStep: number } {
  const bk = key(1);
  let evals = 0;
  const bufs = [cloneState(start), cloneState(start)];
  const run = (): void => {
    let s = cloneState(start);
    const t0 = s.t;
    let k = 0;
    while (s.t < t0 + steps) {
      const idx = batchIndices(bk, p.train.n, 30, s.t);
      const g = mlpLossGrad(s.query, p.shape, p.train, idx).grad;
      s = method.stepInto!(s, g, bufs[k++ % 2]!);
      evals++;
    }
  };
  evals = 0;
  run();
  const evalsPerStep = evals / steps;
  const m = measure(run, { minSeconds: process.argv.includes('--quick') ? 0.3 : 1, warmup: 1 });
  return { seconds: m.seconds / steps, evalsPerStep };
}

/** Warms a method up for `steps` steps (past ARSAM's warm-up) and returns the state. */
function warm<S extends MethodState>(method: Method<unknown, S, Float64Array>, s0: S, steps: number, p: ReturnType<typeof standardProblem>): S {
  const bk = key(1);
  let s = s0;
  while (s.t < steps) s = method.step(s, mlpLossGrad(s.query, p.shape, p.train, batchIndices(bk, p.train.n, 30, s.t)).grad);
  return s;
}

const TORCH = `
import json, time, torch
torch.set_default_dtype(torch.float64); torch.set_num_threads(1)
torch.manual_seed(0)
X = torch.randn(300, 2); Y = torch.randint(0, 3, (300,))
model = torch.nn.Sequential(torch.nn.Linear(2, 32), torch.nn.Tanh(), torch.nn.Linear(32, 3))
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
lossf = torch.nn.CrossEntropyLoss()
params = list(model.parameters())
def batch(t):
    i = (t * 30) % 300
    return X[i:i+30], Y[i:i+30]
def sgd_step(t):
    x, y = batch(t); opt.zero_grad(); lossf(model(x), y).backward(); opt.step()
def sam_step(t, rho=0.05):
    x, y = batch(t); opt.zero_grad(); lossf(model(x), y).backward()
    with torch.no_grad():
        n = torch.norm(torch.stack([p.grad.norm(p=2) for p in params]), p=2); sc = rho / (n + 1e-12); olds = []
        for p in params: olds.append(p.data.clone()); p.add_(p.grad * sc)
    opt.zero_grad(); lossf(model(x), y).backward()
    with torch.no_grad():
        for p, o in zip(params, olds): p.data = o
    opt.step()
def timeit(f, n=2000):
    for t in range(50): f(t)
    best = []
    for r in range(3):
        t0 = time.perf_counter()
        for t in range(n): f(t)
        best.append((time.perf_counter() - t0) / n)
    return sorted(best)[1]
print(json.dumps({"sgd": timeit(sgd_step), "sam": timeit(sam_step)}))
`;

/** Runs the SAM/ARSAM benchmark and prints its table. */
export function benchSamArsam(): BenchRow[] {
  const p = standardProblem(0);
  const d = mlpSize(p.shape);
  const size = `MLP 2-32-3 (${d} params), batch 30`;
  const ref = runPython<{ sgd: number; sam: number }>(TORCH, { timeoutSeconds: 120 });
  const base = { lr: 0.1, momentum: 0.9 };
  const ms = sam(sgd);
  const ma = arsam(sgd);
  const sgdRun = timeSteps(sgd as Method<unknown, ReturnType<typeof sgd.init>, Float64Array>, warm(sgd, sgd.init(base, p.theta0), 10, p), 100, p);
  const samRun = timeSteps(ms as Method<unknown, ReturnType<typeof ms.init>, Float64Array>, warm(ms, ms.init({ base, rho: 0.05 }, p.theta0), 10, p), 100, p);
  // ARSAM in its steady state: past the 150-step warm-up, averaged over 500 steps (10 windows of K = 50).
  const arsamStart = warm(ma, ma.init({ base, rho: 0.05, window: 50, warmup: 150 }, p.theta0, key(2)), 300, p);
  const arsamRun = timeSteps(ma as Method<unknown, ReturnType<typeof ma.init>, Float64Array>, arsamStart, 500, p);
  const rows: BenchRow[] = [
    { operation: 'sgd step', size, seconds: sgdRun.seconds, work: 1, unit: 'step', ...(ref ? { referenceSeconds: ref.sgd, reference: 'torch SGD' } : { reference: 'torch missing' }), note: `${sgdRun.evalsPerStep.toFixed(2)} grad evals/step` },
    { operation: 'sam(sgd) step', size, seconds: samRun.seconds, work: 1, unit: 'step', ...(ref ? { referenceSeconds: ref.sam, reference: 'torch SAM' } : { reference: 'torch missing' }), note: `${samRun.evalsPerStep.toFixed(2)} grad evals/step` },
    { operation: 'arsam(sgd) step', size, seconds: arsamRun.seconds, work: 1, unit: 'step', ...(ref ? { referenceSeconds: ref.sam, reference: 'torch SAM' } : { reference: 'torch missing' }), note: `${arsamRun.evalsPerStep.toFixed(2)} grad evals/step (K=50, steady state); ${(samRun.seconds / arsamRun.seconds).toFixed(2)}x SAM` },
  ];
  printTable('optimizers: SAM vs ARSAM (time per optimizer step including its gradient evaluations)', rows);
  return rows;
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) benchSamArsam();
