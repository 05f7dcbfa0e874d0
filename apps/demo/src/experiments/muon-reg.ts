import { foldIn, key, normal, normalInto, split, type Key } from '@descent/linalg';
import { adamw, minimize, muon, reg, type FirstOrderMethod, type MethodState, type Oracle } from '@descent/optimizers';
import { byScale, seedList, verdictOf, type Experiment } from '../experiment.js';
import { effect, mean, pairedCi } from '../stats.js';
import { initMlp, mlp, mlpForward, mlpLossGrad, mlpWorkspace, softmaxCrossEntropy, type Mlp, type MlpWorkspace } from '../models/mlp.js';

/** Setup of the pretrain-then-fine-tune comparison. */
export interface FineTuneConfig {
  /** Input dimension. */
  dim: number;
  /** Number of classes. */
  classes: number;
  /** Student widths between input and output, e.g. [64, 64, 64]. */
  hidden: readonly number[];
  /** Teacher hidden width. */
  teacherHidden: number;
  /** Task B's teacher = task A's teacher with its hidden layer moved by `shift`·(fresh He-scaled noise). */
  shift: number;
  /** AdamW pretraining on task A: steps, lr, weight decay. */
  pretrainSteps: number;
  /** Fine-tuning steps on task B (the claim is about the first 100). */
  fineTuneSteps: number;
  /** Pretraining learning rate (AdamW). */
  lr: number;
  /** Fine-tuning learning rates as fractions of `lr`, each run by every method (Muon and REG are RMS-matched to AdamW at 0.2). */
  fineTuneLrFactors: readonly number[];
  weightDecay: number;
  batch: number;
  /** Held-out samples per task for the loss curves. */
  evalSize: number;
  /** Record the held-out task-B loss every this many fine-tuning steps (and at the last). Default 1. */
  evalEvery?: number;
}

/** The default setup (full mode). */
export const fineTuneDefaults: FineTuneConfig = {
  dim: 16,
  classes: 8,
  hidden: [64, 64, 64],
  teacherHidden: 32,
  shift: 0.5,
  pretrainSteps: 1000,
  fineTuneSteps: 100,
  lr: 2e-3,
  fineTuneLrFactors: [1 / 30, 1 / 10, 1 / 3],
  weightDecay: 0.01,
  batch: 64,
  evalSize: 256,
};

/** A labelled classification task defined by a teacher network: y = argmax teacher(x), x ~ N(0, I). */
interface Task {
  teacher: Mlp;
  params: Float64Array;
  ws: MlpWorkspace;
}

function labelInto(task: Task, x: Float64Array, rows: number, labels: Int32Array): void {
  const out = mlpForward(task.teacher, task.params, { kind: 'dense', rows, data: x }, task.ws);
  const k = out.cols;
  for (let i = 0; i < rows; i++) {
    let arg = 0;
    for (let c = 1; c < k; c++) if (out.data[i * k + c]! > out.data[i * k + arg]!) arg = c;
    labels[i] = arg;
  }
}

/** The three fine-tuning methods compared, by name. */
export type FineTuneMethod = 'AdamW' | 'Muon' | 'REG';

/** Loss curves of one method during fine-tuning. */
export interface FineTuneCurve {
  method: FineTuneMethod;
  /** Fine-tuning learning rate as a fraction of the pretraining rate. */
  lrFactor: number;
  /** ‖x_T − x_0‖: how far fine-tuning moved the weights. */
  movement: number;
  /** Held-out task-B loss at steps 0, evalEvery, 2·evalEvery, … and the last (index 0: the pretrained model). */
  lossB: number[];
  /** Held-out task-A loss (forgetting of the pretraining task) every 10 steps and at the end. */
  lossA: { step: number; loss: number }[];
}

/** One seed's outcome: the pretrained model's losses and each method's curves. */
export interface FineTuneRun {
  pretrainedLossA: number;
  pretrainedLossB: number;
  curves: FineTuneCurve[];
}

/**
 * Pretrains a ReLU MLP with AdamW on task A, then fine-tunes copies of it on the related task B with
 * AdamW, Muon and REG at one learning rate, recording held-out losses on both tasks after every step.
 * Muon and REG update the hidden weight matrices (not the first layer or the head, as in Muon's
 * reference) with RMS-matched updates (0.2·√max(A,B) and 0.2 RMS), the rest goes to AdamW with the
 * baseline's settings; so the methods differ only in the matrix operator.
 */
export function pretrainAndFineTune(cfg: FineTuneConfig, seed: number): FineTuneRun {
  const [kTeacher, kShift, kInit, kPre, kFine, kEval] = split(key(seed), 6) as [Key, Key, Key, Key, Key, Key];
  const teacher = mlp({ sizes: [cfg.dim, cfg.teacherHidden, cfg.classes], activation: 'tanh' });
  const paramsA = initMlp(teacher, kTeacher, 'he');
  const paramsB = paramsA.slice();
  // Task B moves the teacher's hidden layer, so fitting it needs the student's hidden matrices to
  // change (where Muon and REG act), not only the head AdamW updates in every method.
  const layer = teacher.layers[0]!;
  const noise = normal(kShift, layer.fanIn * layer.fanOut, 0, cfg.shift * Math.sqrt(2 / layer.fanIn));
  for (let i = 0; i < noise.length; i++) paramsB[layer.wOffset + i]! += noise[i]!;
  const cap = Math.max(cfg.batch, cfg.evalSize);
  const taskA: Task = { teacher, params: paramsA, ws: mlpWorkspace(teacher, cap) };
  const taskB: Task = { teacher, params: paramsB, ws: mlpWorkspace(teacher, cap) };

  const net = mlp({ sizes: [cfg.dim, ...cfg.hidden, cfg.classes], activation: 'relu' });
  const ws = mlpWorkspace(net, cap);
  const grad = new Float64Array(net.size);

  // Held-out sets, fixed per seed.
  const [kEa, kEb] = split(kEval, 2) as [Key, Key];
  const evalXA = normal(kEa, cfg.evalSize * cfg.dim);
  const evalXB = normal(kEb, cfg.evalSize * cfg.dim);
  const evalYA = new Int32Array(cfg.evalSize);
  const evalYB = new Int32Array(cfg.evalSize);
  labelInto(taskA, evalXA, cfg.evalSize, evalYA);
  labelInto(taskB, evalXB, cfg.evalSize, evalYB);
  const lossA = softmaxCrossEntropy(evalYA);
  const lossB = softmaxCrossEntropy(evalYB);
  const evalA = (x: Float64Array) => lossA(mlpForward(net, x, { kind: 'dense', rows: cfg.evalSize, data: evalXA }, ws), null);
  const evalB = (x: Float64Array) => lossB(mlpForward(net, x, { kind: 'dense', rows: cfg.evalSize, data: evalXB }, ws), null);

  // A fresh batch of the task at every oracle call (online data: no epochs, no overfitting).
  const bx = new Float64Array(cfg.batch * cfg.dim);
  const by = new Int32Array(cfg.batch);
  const batchLoss = softmaxCrossEntropy(by);
  const onlineOracle = (task: Task, k: Key): Oracle => {
    let t = 0;
    return (x) => {
      normalInto(foldIn(k, t++), bx);
      labelInto(task, bx, cfg.batch, by);
      const value = mlpLossGrad(net, x, { kind: 'dense', rows: cfg.batch, data: bx }, batchLoss, grad, ws);
      return { value, grad };
    };
  };

  const pre = minimize(adamw, onlineOracle(taskA, kPre), {
    config: { lr: cfg.lr, weightDecay: cfg.weightDecay, check: false },
    x0: initMlp(net, kInit, 'he'),
    maxSteps: cfg.pretrainSteps,
  });
  const x0 = pre.state.x.slice();
  const pretrainedLossA = evalA(x0);
  const pretrainedLossB = evalB(x0);

  const hiddenBlocks = net.layout.filter((b, i) => b.shape.length === 2 && i > 0 && b.name !== `W${net.layers.length}`).map((b) => b.name);
  const curves: FineTuneCurve[] = [];
  const run = <C, S extends MethodState>(method: FineTuneMethod, lrFactor: number, m: FirstOrderMethod<C, S>, config: C) => {
    const la = [{ step: 0, loss: pretrainedLossA }];
    const lb = [pretrainedLossB];
    // Same batches for every method: the oracle's key is shared.
    const res = minimize(m, onlineOracle(taskB, kFine), {
      config,
      x0,
      maxSteps: cfg.fineTuneSteps,
      stop: (info, state) => {
        if (info.t % (cfg.evalEvery ?? 1) === 0 || info.t === cfg.fineTuneSteps) lb.push(evalB(state.x));
        if (info.t % 10 === 0 || info.t === cfg.fineTuneSteps) la.push({ step: info.t, loss: evalA(state.x) });
        return false;
      },
    });
    let mv = 0;
    for (let i = 0; i < x0.length; i++) mv += (res.state.x[i]! - x0[i]!) ** 2;
    curves.push({ method, lrFactor, movement: Math.sqrt(mv), lossA: la, lossB: lb });
  };
  for (const factor of cfg.fineTuneLrFactors) {
    const lr = cfg.lr * factor;
    const aux = { lr, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weightDecay: cfg.weightDecay };
    run('AdamW', factor, adamw, { lr, weightDecay: cfg.weightDecay, check: false });
    run('Muon', factor, muon, {
      layout: net.layout,
      matrixBlocks: hiddenBlocks,
      lr,
      weightDecay: cfg.weightDecay,
      scale: 'match-rms-adamw' as const,
      adamw: aux,
      check: false,
    });
    run('REG', factor, reg, {
      layout: net.layout,
      matrixBlocks: hiddenBlocks,
      lr,
      weightDecay: cfg.weightDecay,
      racs: 'sinkhorn' as const,
      adamw: aux,
      check: false,
    });
  }
  return { pretrainedLossA, pretrainedLossB, curves };
}

/** Peak rise of a loss curve above its start over steps 1..end: max_t L(t) − L(0) (negative: it only fell). */
export function lossJump(curve: readonly number[]): number {
  let peak = -Infinity;
  for (let t = 1; t < curve.length; t++) peak = Math.max(peak, curve[t]!);
  return peak - curve[0]!;
}

/**
 * Final task-B loss of `method` interpolated at weight movement `m` (linear in log movement between
 * its fine-tuning rates; clamped to the nearest rate outside their range).
 */
export function lossAtMovement(curves: readonly FineTuneCurve[], method: FineTuneMethod, m: number): number {
  const pts = curves.filter((c) => c.method === method).map((c) => ({ x: Math.log(c.movement), y: c.lossB[c.lossB.length - 1]! })).sort((a, b) => a.x - b.x);
  const x = Math.log(m);
  if (pts.length === 1 || x <= pts[0]!.x) return pts[0]!.y;
  for (let i = 1; i < pts.length; i++) {
    if (x <= pts[i]!.x) {
      const t = (x - pts[i - 1]!.x) / (pts[i]!.x - pts[i - 1]!.x);
      return pts[i - 1]!.y + t * (pts[i]!.y - pts[i - 1]!.y);
    }
  }
  return pts[pts.length - 1]!.y;
}

/** Muon vs REG vs AdamW fine-tuning an AdamW-pretrained MLP on a task that moves a hidden layer. */
export const muonRegExperiment: Experiment = {
  id: 'muon-reg',
  paper: 'REG (Liu, Wu, Fu et al., arXiv 2510.03691) vs Muon',
  claim: 'fine-tuning an AdamW-pretrained model, Muon ends worse than REG and AdamW (REG reconstructed)',
  run(ctx) {
    const cfg: FineTuneConfig = byScale(ctx, {
      quick: { ...fineTuneDefaults, hidden: [32, 32, 32], pretrainSteps: 200, fineTuneSteps: 40, evalSize: 128, evalEvery: 10 },
      // The experiment reads only the final task-B loss: the curve is recorded every 10 steps.
      default: { ...fineTuneDefaults, hidden: [48, 48, 48], pretrainSteps: 500, evalEvery: 10 },
      full: { ...fineTuneDefaults, pretrainSteps: 2000, fineTuneSteps: 300, evalEvery: 10 },
    });
    const seeds = seedList(ctx);
    const runs = seeds.map((seed, i) => {
      ctx.progress(i, seeds.length);
      return pretrainAndFineTune(cfg, seed);
    });
    ctx.progress(seeds.length, seeds.length);
    const methods: FineTuneMethod[] = ['AdamW', 'Muon', 'REG'];
    const finalB = (r: FineTuneRun, m: FineTuneMethod, f: number) => r.curves.find((c) => c.method === m && c.lrFactor === f)!.lossB.at(-1)!;
    // Each method at its own best fine-tuning rate (per seed: the lowest final task-B loss over rates).
    const best = (m: FineTuneMethod) => runs.map((r) => Math.min(...cfg.fineTuneLrFactors.map((f) => finalB(r, m, f))));
    const muonVsReg = pairedCi(best('Muon'), best('REG'));
    const muonVsAdamw = pairedCi(best('Muon'), best('AdamW'));
    // At matched weight movement: every method's final loss interpolated at AdamW's median movement.
    const matched = (m: FineTuneMethod) => runs.map((r) => {
      const moves = r.curves.filter((c) => c.method === 'AdamW').map((c) => c.movement).sort((a, b) => a - b);
      return lossAtMovement(r.curves, m, moves[Math.floor(moves.length / 2)]!);
    });
    const matchedCi = pairedCi(matched('Muon'), matched('REG'));
    const effects = [
      effect('Muon − REG final task-B loss (best rate)', muonVsReg, 'above', 0, 3),
      effect('Muon − AdamW final task-B loss (best rate)', muonVsAdamw, 'above', 0, 3),
      effect('Muon − REG at matched weight movement', matchedCi, 'above', 0, 3),
    ];
    const forget = (m: FineTuneMethod) => mean(runs.map((r) => {
      const c = r.curves.filter((x) => x.method === m).reduce((a, b) => (a.lossB.at(-1)! < b.lossB.at(-1)! ? a : b));
      return c.lossA.at(-1)!.loss - c.lossA[0]!.loss;
    }));
    const f3 = (v: number) => v.toFixed(3);
    return {
      setup: `MLP ${cfg.dim}→${cfg.hidden.join('→')}→${cfg.classes} ReLU pretrained by AdamW (lr ${cfg.lr}, ${cfg.pretrainSteps} steps) on a teacher task; task B moves the teacher's hidden layer; fine-tuning ${cfg.fineTuneSteps} steps with AdamW, Muon, REG at ${cfg.fineTuneLrFactors.map((f) => `lr/${Math.round(1 / f)}`).join(', ')}; held-out final task-B loss, paired over seeds`,
      seeds: seeds.length,
      effects,
      verdict: verdictOf(effects),
      details: `mean best final task-B loss: ${methods.map((m) => `${m} ${f3(mean(best(m)))}`).join(', ')} (pretrained ${f3(mean(runs.map((r) => r.pretrainedLossB)))}); at matched movement: ${methods.map((m) => `${m} ${f3(mean(matched(m)))}`).join(', ')}; task-A forgetting at the best rate: ${methods.map((m) => `${m} ${f3(forget(m))}`).join(', ')}; weight movement at lr/10: ${methods.map((m) => `${m} ${mean(runs.map((r) => r.curves.find((c) => c.method === m && Math.abs(c.lrFactor - 0.1) < 1e-12)?.movement ?? NaN)).toFixed(3)}`).join(', ')}`,
      deviations: [
        "REG's RACS operator is reconstructed [RECON] (Sinkhorn row/column scaling) from the abstract",
        'a small teacher–student MLP instead of LLM pretraining and fine-tuning; Muon and REG update the hidden matrices, AdamW the rest, as in Muon\'s reference',
        `fine-tuning rates ${cfg.fineTuneLrFactors.map((f) => `1/${Math.round(1 / f)}`).join(', ')} of the pretraining rate; each method is compared at its best one`,
      ],
      plot: {
        title: 'final task-B loss vs weight movement, per seed and fine-tuning rate',
        data: { values: runs.flatMap((r, s) => r.curves.map((c) => ({ seed: s, method: c.method, lr: `lr/${Math.round(1 / c.lrFactor)}`, movement: c.movement, loss: c.lossB.at(-1) }))) },
        mark: { type: 'point', filled: true, size: 60, opacity: 0.8 },
        encoding: {
          x: { field: 'movement', type: 'quantitative', scale: { type: 'log' }, title: '‖x_T − x_0‖' },
          y: { field: 'loss', type: 'quantitative', scale: { zero: false }, title: 'final held-out task-B loss' },
          color: { field: 'method', type: 'nominal' },
          shape: { field: 'lr', type: 'nominal', title: 'fine-tuning rate' },
        },
      },
      data: { config: cfg, runs: runs.map((r) => ({ pretrainedLossA: r.pretrainedLossA, pretrainedLossB: r.pretrainedLossB, curves: r.curves.map((c) => ({ method: c.method, lrFactor: c.lrFactor, movement: c.movement, finalB: c.lossB.at(-1), finalA: c.lossA.at(-1)!.loss })) })) },
    };
  },
};
