import { foldIn, key, normal, normalInto, split, type Key } from '@descent/linalg';
import { adamw, minimize, muon, reg, type FirstOrderMethod, type MethodState, type Oracle } from '@descent/optimizers';
import { verdictFrom, type Experiment } from '../experiment.js';
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
  /** Task B's teacher = task A's teacher with its output layer moved by `shift`·(fresh He-scaled noise). */
  shift: number;
  /** AdamW pretraining on task A: steps, lr, weight decay. */
  pretrainSteps: number;
  /** Fine-tuning steps on task B (the claim is about the first 100). */
  fineTuneSteps: number;
  /** One learning rate for every fine-tuning method (Muon and REG are RMS-matched to AdamW at 0.2). */
  lr: number;
  weightDecay: number;
  batch: number;
  /** Held-out samples per task for the loss curves. */
  evalSize: number;
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
  /** Held-out task-B loss after 0..steps steps (index 0: the pretrained model). */
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
  const head = teacher.layers[1]!;
  const noise = normal(kShift, head.fanIn * head.fanOut, 0, cfg.shift * Math.sqrt(2 / head.fanIn));
  for (let i = 0; i < noise.length; i++) paramsB[head.wOffset + i]! += noise[i]!;
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
  const aux = { lr: cfg.lr, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weightDecay: cfg.weightDecay };
  const curves: FineTuneCurve[] = [];
  const run = <C, S extends MethodState>(method: FineTuneMethod, m: FirstOrderMethod<C, S>, config: C) => {
    const la = [{ step: 0, loss: pretrainedLossA }];
    const lb = [pretrainedLossB];
    // Same batches for every method: the oracle's key is shared.
    minimize(m, onlineOracle(taskB, kFine), {
      config,
      x0,
      maxSteps: cfg.fineTuneSteps,
      stop: (info, state) => {
        lb.push(evalB(state.x));
        if (info.t % 10 === 0 || info.t === cfg.fineTuneSteps) la.push({ step: info.t, loss: evalA(state.x) });
        return false;
      },
    });
    curves.push({ method, lossA: la, lossB: lb });
  };
  run('AdamW', adamw, { lr: cfg.lr, weightDecay: cfg.weightDecay, check: false });
  run('Muon', muon, {
    layout: net.layout,
    matrixBlocks: hiddenBlocks,
    lr: cfg.lr,
    weightDecay: cfg.weightDecay,
    scale: 'match-rms-adamw' as const,
    adamw: aux,
    check: false,
  });
  run('REG', reg, {
    layout: net.layout,
    matrixBlocks: hiddenBlocks,
    lr: cfg.lr,
    weightDecay: cfg.weightDecay,
    racs: 'sinkhorn' as const,
    adamw: aux,
    check: false,
  });
  return { pretrainedLossA, pretrainedLossB, curves };
}

/** Peak rise of a loss curve above its start over steps 1..end: max_t L(t) − L(0) (negative: it only fell). */
export function lossJump(curve: readonly number[]): number {
  let peak = -Infinity;
  for (let t = 1; t < curve.length; t++) peak = Math.max(peak, curve[t]!);
  return peak - curve[0]!;
}

/**
 * The four checks of the claim "Muon degrades the pretrained model more than REG and AdamW", from the
 * mean task-B loss jumps and task-A forgetting: Muon's jump is positive and above REG's; positive and
 * above AdamW's; Muon's forgetting above REG's; above AdamW's. A jump only counts when the loss
 * actually rose (> 0): a loss that merely fell more slowly has not degraded the model.
 */
export function muonRegChecks(jump: Readonly<Record<FineTuneMethod, number>>, forget: Readonly<Record<FineTuneMethod, number>>): boolean[] {
  const rose = jump.Muon > 0;
  return [rose && jump.Muon > jump.REG, rose && jump.Muon > jump.AdamW, forget.Muon > forget.REG, forget.Muon > forget.AdamW];
}

/** Muon vs REG vs AdamW fine-tuning an AdamW-pretrained MLP: the loss jump in the first steps. */
export const muonRegExperiment: Experiment = {
  id: 'muon-reg',
  paper: 'REG (Liu, Wu, Fu et al., arXiv 2510.03691) vs Muon',
  claim: 'fine-tuning an AdamW-pretrained model, Muon degrades it more than REG and AdamW (REG reconstructed)',
  run({ seed, quick }) {
    const cfg: FineTuneConfig = quick ? { ...fineTuneDefaults, pretrainSteps: 300 } : fineTuneDefaults;
    const seeds = quick ? 1 : 3;
    const runs: FineTuneRun[] = [];
    for (let s = 0; s < seeds; s++) runs.push(pretrainAndFineTune(cfg, seed * 1000 + s));
    const methods: FineTuneMethod[] = ['AdamW', 'Muon', 'REG'];
    const mean = (f: (r: FineTuneRun, c: FineTuneCurve) => number, m: FineTuneMethod) =>
      runs.reduce((acc, r) => acc + f(r, r.curves.find((c) => c.method === m)!), 0) / runs.length;
    const jump = Object.fromEntries(methods.map((m) => [m, mean((_r, c) => lossJump(c.lossB), m)])) as Record<FineTuneMethod, number>;
    const forget = Object.fromEntries(methods.map((m) => [m, mean((_r, c) => c.lossA[c.lossA.length - 1]!.loss - c.lossA[0]!.loss, m)])) as Record<FineTuneMethod, number>;
    const finalB = Object.fromEntries(methods.map((m) => [m, mean((_r, c) => c.lossB[c.lossB.length - 1]!, m)])) as Record<FineTuneMethod, number>;
    const checks = muonRegChecks(jump, forget);
    const f = (v: number) => (v >= 0 ? '+' : '') + v.toFixed(3);
    const values = runs.flatMap((r, s) =>
      r.curves.flatMap((c) => c.lossB.map((v, t) => ({ seed: s, step: t, method: c.method, loss: v }))),
    ).filter((v) => v.seed === 0);
    return {
      measured: `task-B loss jump max_t L_B(t) − L_B(0) and task-A forgetting L_A(${cfg.fineTuneSteps}) − L_A(0) over ${cfg.fineTuneSteps} fine-tuning steps, mean of ${seeds} seed(s), lr ${cfg.lr}`,
      figure: `jump AdamW ${f(jump.AdamW)}, Muon ${f(jump.Muon)}, REG ${f(jump.REG)}; forgetting AdamW ${f(forget.AdamW)}, Muon ${f(forget.Muon)}, REG ${f(forget.REG)}`,
      verdict: verdictFrom(checks),
      criterion: 'four comparisons of means over seeds: Muon\'s task-B loss jump is positive and above REG\'s, and above AdamW\'s; Muon\'s task-A forgetting above REG\'s, and above AdamW\'s (all → reproduced, some → partially, none → not)',
      plot: {
        title: 'fine-tuning an AdamW-pretrained MLP on task B (seed 0)',
        data: { values },
        mark: 'line',
        encoding: {
          x: { field: 'step', type: 'quantitative', title: 'fine-tuning step' },
          y: { field: 'loss', type: 'quantitative', title: 'held-out task-B loss', scale: { zero: false } },
          color: { field: 'method', type: 'nominal' },
        },
      },
      data: { config: cfg, seeds, jump, forget, finalB, runs },
    };
  },
};
