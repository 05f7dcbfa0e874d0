import { assertKnownKeys, configKeys, DescentError, MAX_ELEMENTS } from '@descent/linalg';
import type { Distortion } from './distortion.js';
import { buildQuantileGrid, type AtomNodes, type QuantileGrid, type SaForm, type TailRule } from './grid.js';
import { assertProjection, projectInto, type Projection } from './projection.js';
import { checkDrmSaState, checkOut } from './sa-state.js';
import { codeSchedules, stepSize, validateSchedules, type Schedules, type StepSchedule } from './schedule.js';

/**
 * One batch observed at `state.query`: outcomes x_j (losses, length n) and their GLR/score weights
 * ψ_j ∈ R^p (row-major n×p) with E[1{X ≤ x}ψ] = ∇θF(x; θ) and E ψ = 0.
 */
export interface DrmSample {
  readonly x: Float64Array;
  readonly psi: Float64Array;
}

/** Configuration of {@link drmSA}. Every field but `form` and `distortion` has a default. */
export interface DrmSaConfig {
  /** `'qf'` (two timescales), `'dm'` (three timescales, GLR + KDE), `'hybrid'` (DM on jump cells, QF elsewhere), `'batching'` (baseline: batch quantiles, QF gradient). */
  form: SaForm;
  distortion: Distortion;
  /** Interior cells of the level grid (default 100, as the code). */
  M?: number;
  /** Level warp exponent (default 1). */
  gridPow?: number;
  /** Atom handling of DM/hybrid: `'cell'` (default, code) or `'exact'` [RECON]. */
  atomNodes?: AtomNodes;
  /** Tail cells: `'cvar'` (default, exact LR tail [RECON]) or `'extrapolate'` (code). */
  tailRule?: TailRule;
  /** `'min'` (default) descends ρ, `'max'` ascends it (the paper's robust problem). */
  sense?: 'min' | 'max';
  /** Overrides of {@link codeSchedules}; the timescale ordering is validated. */
  schedules?: Partial<Schedules>;
  /** `'relative'` (default): h_k is in units of the warm-up sample's standard deviation; `'absolute'` as the code. */
  bandwidth?: 'relative' | 'absolute';
  /** Constraint set Θ (default none). */
  projection?: Projection;
  /** Draws per iteration n the driver should supply (default 10). */
  batchSize?: number;
  /** Draws of the warm-up batch (default M + 3, as the code). */
  warmupSize?: number;
  /** Validate every batch (O(n·p)); default true. */
  check?: boolean;
}

/**
 * The state of {@link drmSA}: plain data. `x` is θ, `query` the point where the next batch must be drawn
 * (θ itself), `sampleSize` how many draws it should hold. `q` (M+1) and `qbar` (M) track the quantiles
 * at the grid edges and midpoints, `qNode` (J) and `D` (J×p) the quantiles and quantile gradients of the
 * DM nodes, `grad` the last gradient estimate of ρ. Diagnostics: `kdeUnderflows` (KDE values below
 * 1e−300 — the D step then degenerates to D ← D − γĤ), `monotoneFixes` (times q was re-sorted).
 */
export interface DrmSaState {
  readonly x: Float64Array;
  readonly query: Float64Array;
  readonly t: number;
  readonly k: number;
  readonly phase: 'warmup' | 'run';
  readonly sampleSize: number;
  readonly form: SaForm;
  readonly sense: 'min' | 'max';
  readonly tailRule: TailRule;
  readonly gridPow: number;
  readonly check: boolean;
  readonly batchSize: number;
  readonly warmupSize: number;
  readonly grid: QuantileGrid;
  readonly schedules: Schedules;
  readonly projection: Projection;
  /** Outcome scale of the bandwidth (sd of the warm-up batch, or 1). */
  readonly scale: number;
  readonly relativeBandwidth: boolean;
  readonly q: Float64Array;
  readonly qbar: Float64Array;
  readonly qNode: Float64Array;
  readonly D: Float64Array;
  readonly grad: Float64Array;
  readonly kdeUnderflows: number;
  readonly monotoneFixes: number;
}

/** A stochastic-approximation method on the step contract of DESIGN.md (mirrored locally: this package depends on linalg only). */
export interface SaMethod<Cfg, State, Obs> {
  readonly name: string;
  init(cfg: Cfg, x0: Float64Array): State;
  step(state: State, obs: Obs): State;
  stepInto(state: State, obs: Obs, out: State): State;
}

// Scratch buffers reused across calls (never visible outside one call).
let xs = new Float64Array(16);
let perm = new Int32Array(16);
let prefix = new Float64Array(64);
let work = new Float64Array(16);

function ensure(n: number, p: number): void {
  if (xs.length < n) {
    xs = new Float64Array(2 * n);
    perm = new Int32Array(2 * n);
  }
  if (prefix.length < (n + 1) * p) prefix = new Float64Array(2 * (n + 1) * p);
  if (work.length < 4 * p + 8) work = new Float64Array(4 * p + 8);
}

/** Sorts the batch into xs (ascending) with the permutation in perm; prefix[(j)p + r] = Σ_{i<j} ψ_{perm i, r}. */
function sortBatch(x: Float64Array, psi: Float64Array, n: number, p: number): void {
  ensure(n, p);
  for (let j = 0; j < n; j++) perm[j] = j;
  if (n <= 48) {
    for (let j = 1; j < n; j++) {
      const pj = perm[j]!;
      const v = x[pj]!;
      let i = j - 1;
      while (i >= 0 && x[perm[i]!]! > v) {
        perm[i + 1] = perm[i]!;
        i--;
      }
      perm[i + 1] = pj;
    }
  } else {
    const idx = Array.from(perm.subarray(0, n)).sort((a, b) => x[a]! - x[b]!);
    for (let j = 0; j < n; j++) perm[j] = idx[j]!;
  }
  for (let r = 0; r < p; r++) prefix[r] = 0;
  for (let j = 0; j < n; j++) {
    const src = perm[j]!;
    xs[j] = x[src]!;
    const base = j * p;
    for (let r = 0; r < p; r++) prefix[base + p + r] = prefix[base + r]! + psi[src * p + r]!;
  }
}

/** #{j : xs_j ≤ v} by binary search on the sorted batch. */
function countLE(v: number, n: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Logistic kernel K(t) = e^{−|t|}/(1 + e^{−|t|})² (the code's `kernel`); ∫K = 1. */
function logisticKernel(t: number): number {
  const e = Math.exp(-Math.abs(t));
  const d = 1 + e;
  return e / (d * d);
}

/** KDE f̂(v) = (1/n)Σ K_h(v − X_j) over the sorted batch. */
function kde(v: number, n: number, h: number): number {
  let s = 0;
  for (let j = 0; j < n; j++) s += logisticKernel((v - xs[j]!) / h);
  return s / (n * h);
}

function sortIfNeeded(a: Float64Array): number {
  for (let i = 1; i < a.length; i++) {
    if (a[i]! < a[i - 1]!) {
      a.sort();
      return 1;
    }
  }
  return 0;
}

function checkObs(state: DrmSaState, obs: DrmSample, where: string): number {
  if (obs === null || typeof obs !== 'object' || !(obs.x instanceof Float64Array) || !(obs.psi instanceof Float64Array)) {
    throw new DescentError('SHAPE_MISMATCH', where, 'the observation must be { x: Float64Array, psi: Float64Array }');
  }
  const n = obs.x.length;
  const p = state.x.length;
  if (n === 0) throw new DescentError('SHAPE_MISMATCH', where, 'empty sample');
  if (state.phase === 'warmup' && n < 2) throw new DescentError('SHAPE_MISMATCH', where, `the warm-up batch needs >= 2 draws, got ${n}`);
  if (obs.psi.length !== n * p) throw new DescentError('SHAPE_MISMATCH', where, `psi has length ${obs.psi.length}, expected n·p = ${n}·${p}`);
  if (state.check) {
    for (let j = 0; j < n; j++) if (obs.x[j]! - obs.x[j]! !== 0) throw new DescentError('NON_FINITE', where, `samples x[${j}] is ${obs.x[j]}`);
    for (let j = 0; j < n * p; j++) if (obs.psi[j]! - obs.psi[j]! !== 0) throw new DescentError('NON_FINITE', where, `psi[${Math.floor(j / p)}, ${j % p}] is ${obs.psi[j]}`);
  }
  return n;
}

function empiricalQuantileSorted(n: number, u: number): number {
  const h = (n - 1) * u;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return xs[lo]! + (h - lo) * (xs[hi]! - xs[lo]!);
}

function freshLike(s: DrmSaState): DrmSaState {
  return {
    ...s,
    x: new Float64Array(s.x.length),
    q: new Float64Array(s.q.length),
    qbar: new Float64Array(s.qbar.length),
    qNode: new Float64Array(s.qNode.length),
    D: new Float64Array(s.D.length),
    grad: new Float64Array(s.grad.length),
    query: undefined as unknown as Float64Array,
  };
}

const DRM_SA_KEYS = configKeys<DrmSaConfig>()(
  'form', 'distortion', 'M', 'gridPow', 'atomNodes', 'tailRule', 'sense', 'schedules', 'bandwidth', 'projection', 'batchSize', 'warmupSize', 'check',
);
const SCHEDULE_KEYS = configKeys<Schedules>()('theta', 'quantile', 'gradient', 'bandwidth');
/** The keys of a {@link StepSchedule}. */
export const STEP_SCHEDULE_KEYS = configKeys<StepSchedule>()('a', 'b', 'c');
const PROJECTION_KEYS: Record<string, readonly string[]> = { none: ['kind'], simplex: ['kind', 'budget'], box: ['kind', 'lower', 'upper'], budgetBox: ['kind', 'lower', 'upper', 'budget'] };

function init(cfg: DrmSaConfig, x0: Float64Array): DrmSaState {
  const where = 'drmSA.init';
  assertKnownKeys(cfg, DRM_SA_KEYS, where);
  if (cfg.schedules !== undefined) {
    assertKnownKeys(cfg.schedules, SCHEDULE_KEYS, where, 'schedules');
    for (const [k, v] of Object.entries(cfg.schedules)) assertKnownKeys(v, STEP_SCHEDULE_KEYS, where, `schedules.${k}`);
  }
  if (cfg.projection !== undefined) {
    const kind = cfg.projection !== null && typeof cfg.projection === 'object' ? (cfg.projection as { kind?: unknown }).kind : undefined;
    assertKnownKeys(cfg.projection, (typeof kind === 'string' ? PROJECTION_KEYS[kind] : undefined) ?? ['kind'], where, 'projection');
  }
  const form = cfg.form;
  if (!(['qf', 'dm', 'hybrid', 'batching'] as unknown[]).includes(form)) throw new DescentError('INVALID_CONFIG', where, `form must be qf | dm | hybrid | batching, got ${String(form)}`);
  if (!(x0 instanceof Float64Array) || x0.length === 0) throw new DescentError('SHAPE_MISMATCH', where, 'x0 must be a non-empty Float64Array');
  for (let i = 0; i < x0.length; i++) if (x0[i]! - x0[i]! !== 0) throw new DescentError('NON_FINITE', where, `x0[${i}] is ${x0[i]}`);
  const schedules: Schedules = { ...codeSchedules(), ...(cfg.schedules ?? {}) };
  validateSchedules(schedules, form, where);
  const tailRule = cfg.tailRule ?? 'cvar';
  if (tailRule !== 'cvar' && tailRule !== 'extrapolate') throw new DescentError('INVALID_CONFIG', where, `tailRule must be cvar | extrapolate, got ${String(tailRule)}`);
  const sense = cfg.sense ?? 'min';
  if (sense !== 'min' && sense !== 'max') throw new DescentError('INVALID_CONFIG', where, `sense must be min | max, got ${String(sense)}`);
  const grid = buildQuantileGrid(cfg.distortion, form, { M: cfg.M, gridPow: cfg.gridPow, atomNodes: cfg.atomNodes }, where);
  const batchSize = cfg.batchSize ?? 10;
  const warmupSize = cfg.warmupSize ?? grid.M + 3;
  const p = x0.length;
  // A driver allocates n·p entries per batch: sizes above the allocation limit fail here.
  if (typeof batchSize !== 'number' || !Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize * p > MAX_ELEMENTS) {
    throw new DescentError('INVALID_CONFIG', where, `batchSize must be an integer >= 1 with batchSize·p <= ${MAX_ELEMENTS}, got ${String(batchSize)}`);
  }
  if (typeof warmupSize !== 'number' || !Number.isSafeInteger(warmupSize) || warmupSize < 2 || warmupSize * p > MAX_ELEMENTS) {
    throw new DescentError('INVALID_CONFIG', where, `warmupSize must be an integer >= 2 with warmupSize·p <= ${MAX_ELEMENTS}, got ${String(warmupSize)}`);
  }
  const check = cfg.check ?? true;
  if (typeof check !== 'boolean') throw new DescentError('INVALID_CONFIG', where, `check must be a boolean, got ${String(check)}`);
  const bandwidth = cfg.bandwidth ?? 'relative';
  if (bandwidth !== 'relative' && bandwidth !== 'absolute') throw new DescentError('INVALID_CONFIG', where, `bandwidth must be relative | absolute, got ${String(bandwidth)}`);
  const projection = cfg.projection ?? { kind: 'none' };
  assertProjection(projection, p, where);
  const x = new Float64Array(p);
  projectInto(projection, x0, x);
  const J = grid.nodeLevels.length;
  const phase = form === 'batching' ? 'run' : 'warmup';
  return {
    x,
    query: x,
    t: 0,
    k: 0,
    phase,
    sampleSize: phase === 'warmup' ? warmupSize : batchSize,
    form,
    sense,
    tailRule,
    gridPow: cfg.gridPow ?? 1,
    check,
    batchSize,
    warmupSize,
    grid,
    schedules,
    projection,
    scale: 1,
    relativeBandwidth: bandwidth === 'relative',
    q: new Float64Array(grid.M + 1),
    qbar: new Float64Array(grid.M),
    qNode: new Float64Array(J),
    D: new Float64Array(J * p),
    grad: new Float64Array(p),
    kdeUnderflows: 0,
    monotoneFixes: 0,
  };
}

function warmUpInto(s: DrmSaState, obs: DrmSample, out: DrmSaState): DrmSaState {
  const n = obs.x.length;
  const p = s.x.length;
  sortBatch(obs.x, obs.psi, n, p);
  const { grid } = s;
  for (let i = 0; i <= grid.M; i++) out.q[i] = empiricalQuantileSorted(n, grid.z[i]!);
  for (let i = 0; i < grid.M; i++) out.qbar[i] = empiricalQuantileSorted(n, grid.zbar[i]!);
  let mean = 0;
  for (let j = 0; j < n; j++) mean += xs[j]!;
  mean /= n;
  let v = 0;
  for (let j = 0; j < n; j++) v += (xs[j]! - mean) ** 2;
  const sd = Math.sqrt(v / (n - 1));
  const spread = sd > 0 ? sd : 1;
  // Silverman's bandwidth for the warm-up estimate D = −Ĥ/f̂ [RECON: the code uses h = 1 for unit-variance outcomes].
  const hw = 1.06 * spread * Math.pow(n, -0.2);
  const J = grid.nodeLevels.length;
  for (let j = 0; j < J; j++) {
    const lv = grid.nodeLevels[j]!;
    const qj = empiricalQuantileSorted(n, lv);
    out.qNode[j] = qj;
    const f = kde(qj, n, hw);
    const c = countLE(qj, n);
    for (let r = 0; r < p; r++) {
      const H = prefix[c * p + r]! / n - (lv * prefix[n * p + r]!) / n;
      out.D[j * p + r] = f < 1e-12 ? 0 : -H / f;
    }
  }
  out.x.set(s.x);
  out.grad.fill(0);
  return {
    ...s,
    x: out.x,
    query: out.x,
    q: out.q,
    qbar: out.qbar,
    qNode: out.qNode,
    D: out.D,
    grad: out.grad,
    t: s.t + 1,
    phase: 'run',
    sampleSize: s.batchSize,
    scale: s.relativeBandwidth ? spread : 1,
  };
}

function runInto(s: DrmSaState, obs: DrmSample, out: DrmSaState): DrmSaState {
  const n = obs.x.length;
  const p = s.x.length;
  const { grid } = s;
  const M = grid.M;
  sortBatch(obs.x, obs.psi, n, p);
  const k = s.k;
  const G = out.grad;
  G.fill(0);
  const psibarOff = n * p; // prefix row n holds Σψ
  const invn = 1 / n;

  let q = s.q;
  let qbar = s.qbar;
  if (s.form === 'batching') {
    // Baseline: quantiles of this batch instead of tracked ones.
    for (let i = 0; i <= M; i++) out.q[i] = empiricalQuantileSorted(n, grid.z[i]!);
    for (let i = 0; i < M; i++) out.qbar[i] = empiricalQuantileSorted(n, grid.zbar[i]!);
    q = out.q;
    qbar = out.qbar;
  }

  // QF part: Ĝ −= a_i Δq_i · (1/n)Σ(1{X ≤ q̄_i} − z̄_i)ψ  (Ĥ_i from prefix sums of ψ over the sorted batch).
  if (s.form !== 'dm') {
    let c = 0;
    for (let i = 0; i < M; i++) {
      const lv = qbar[i]!;
      while (c < n && xs[c]! <= lv) c++;
      const ai = grid.a[i]!;
      if (ai === 0) continue;
      const coef = -ai * (q[i + 1]! - q[i]!);
      const zb = grid.zbar[i]!;
      for (let r = 0; r < p; r++) G[r] += coef * (prefix[c * p + r]! - zb * prefix[psibarOff + r]!) * invn;
    }
    if (s.tailRule === 'extrapolate' && s.gridPow === 1) {
      // The code's linear extrapolation of q, q̄, z̄ and a to one extra cell at each end.
      const ends: [number, number, number, number, number][] = [
        [q[1]! - q[0]!, 2 * qbar[0]! - qbar[1]!, 2 * grid.zbar[0]! - grid.zbar[1]!, 2 * grid.a[0]! - grid.a[1]!, 0],
        [q[M]! - q[M - 1]!, 2 * qbar[M - 1]! - qbar[M - 2]!, 2 * grid.zbar[M - 1]! - grid.zbar[M - 2]!, 2 * grid.a[M - 1]! - grid.a[M - 2]!, 0],
      ];
      for (const [dq, lv, zb, ai] of ends) {
        const cc = countLE(lv, n);
        const coef = -ai * dq;
        for (let r = 0; r < p; r++) G[r] += coef * (prefix[cc * p + r]! - zb * prefix[psibarOff + r]!) * invn;
      }
    }
  }

  // DM part: Ĝ += w_j D_j (old D), then D_j ← D_j − γ(f̂_j D_j + Ĥ_j).
  const J = grid.nodeLevels.length;
  let underflows = 0;
  if (J > 0) {
    const gamma = stepSize(s.schedules.gradient, k);
    const h = stepSize(s.schedules.bandwidth, k) * s.scale;
    for (let j = 0; j < J; j++) {
      const lv = s.qNode[j]!;
      const f = kde(lv, n, h);
      if (f < 1e-300) underflows++;
      const c = countLE(lv, n);
      const level = grid.nodeLevels[j]!;
      const wj = grid.nodeWeights[j]!;
      for (let r = 0; r < p; r++) {
        const H = (prefix[c * p + r]! - level * prefix[psibarOff + r]!) * invn;
        const d = s.D[j * p + r]!;
        const nd = d - gamma * (f * d + H);
        out.D[j * p + r] = nd;
        // The code forms Ĝ from D before its update (Jacobi, like every other iterate).
        G[r] += wj * d;
      }
    }
    if (grid.nodesAreCells && s.tailRule === 'extrapolate' && s.gridPow === 1) {
      const w = grid.nodeWeights;
      const D = s.D;
      const wLo = 2 * w[0]! - w[1]!;
      const wHi = 2 * w[M - 1]! - w[M - 2]!;
      for (let r = 0; r < p; r++) {
        G[r] += wLo * (2 * D[r]! - D[p + r]!) + wHi * (2 * D[(M - 1) * p + r]! - D[(M - 2) * p + r]!);
      }
    }
  }

  // Tail cells by their exact LR form: s̄_top E[ψ(X − q_{M+1})^+] − s̄_bot E[ψ(q_1 − X)^+].
  if (s.tailRule === 'cvar') {
    const top = q[M]!;
    const bot = q[0]!;
    const sT = grid.sTop * invn;
    const sB = grid.sBot * invn;
    for (let j = 0; j < n; j++) {
      const xv = xs[j]!;
      const src = perm[j]! * p;
      if (xv > top && sT !== 0) {
        const m = sT * (xv - top);
        for (let r = 0; r < p; r++) G[r] += m * obs.psi[src + r]!;
      } else if (xv < bot && sB !== 0) {
        const m = sB * (bot - xv);
        for (let r = 0; r < p; r++) G[r] -= m * obs.psi[src + r]!;
      }
    }
  }
  for (let r = 0; r < p; r++) {
    if (G[r]! - G[r]! !== 0) throw new DescentError('NON_FINITE', 'drmSA.step', `gradient estimate [${r}] is ${G[r]} at iteration ${k}`);
  }

  // Quantile tracking (fast): q ← q + β(z − F̂(q)), from the old q (all updates use the same batch).
  let fixes = 0;
  if (s.form !== 'batching') {
    const beta = stepSize(s.schedules.quantile, k);
    let c = 0;
    for (let i = 0; i <= M; i++) {
      const lv = s.q[i]!;
      while (c < n && xs[c]! <= lv) c++;
      out.q[i] = lv + beta * (grid.z[i]! - c * invn);
    }
    c = 0;
    for (let i = 0; i < M; i++) {
      const lv = s.qbar[i]!;
      while (c < n && xs[c]! <= lv) c++;
      out.qbar[i] = lv + beta * (grid.zbar[i]! - c * invn);
    }
    for (let j = 0; j < J; j++) {
      const lv = s.qNode[j]!;
      out.qNode[j] = lv + beta * (grid.nodeLevels[j]! - countLE(lv, n) * invn);
    }
    // Keep the tracked quantiles monotone so Δq ≥ 0 [RECON; the fixed point is monotone].
    fixes = sortIfNeeded(out.q) + sortIfNeeded(out.qbar);
  }

  // Decision (slow): θ ← Π(θ ∓ α Ĝ).
  const alpha = stepSize(s.schedules.theta, k) * (s.sense === 'min' ? -1 : 1);
  for (let r = 0; r < p; r++) out.x[r] = s.x[r]! + alpha * G[r]!;
  projectInto(s.projection, out.x, out.x);
  for (let r = 0; r < p; r++) if (out.x[r]! - out.x[r]! !== 0) throw new DescentError('NON_FINITE', 'drmSA.step', `θ[${r}] overflows to ${out.x[r]} at iteration ${k}`);

  return {
    ...s,
    x: out.x,
    query: out.x,
    q: out.q,
    qbar: out.qbar,
    qNode: out.qNode,
    D: out.D,
    grad: out.grad,
    t: s.t + 1,
    k: k + 1,
    kdeUnderflows: s.kdeUnderflows + underflows,
    monotoneFixes: s.monotoneFixes + fixes,
  };
}

const OUT_BUFFERS = ['x', 'q', 'qbar', 'qNode', 'D', 'grad'] as const;

function step(state: DrmSaState, obs: DrmSample): DrmSaState {
  const where = 'drmSA.step';
  checkDrmSaState(state, where);
  checkObs(state, obs, where);
  return advance(state, obs, freshLike(state));
}

function stepInto(state: DrmSaState, obs: DrmSample, out: DrmSaState): DrmSaState {
  const where = 'drmSA.stepInto';
  checkDrmSaState(state, where);
  checkObs(state, obs, where);
  checkOut(state as unknown as Record<string, unknown>, out, OUT_BUFFERS, [obs.x, obs.psi], where);
  return advance(state, obs, out);
}

function advance(state: DrmSaState, obs: DrmSample, out: DrmSaState): DrmSaState {
  if (state.phase === 'warmup') return warmUpInto(state, obs, out);
  // Nodes and D are carried unchanged by forms that do not touch them.
  if (state.grid.nodeLevels.length === 0) {
    out.qNode.set(state.qNode);
    out.D.set(state.D);
  }
  return runInto(state, obs, out);
}

/**
 * The paper's stochastic-approximation DRM optimizers as one method on the step contract
 * (`init`, pure `step`, allocation-free `stepInto`). Observation: a batch {x, ψ} drawn at `state.query`.
 * The first step consumes the warm-up batch (`state.sampleSize` = M + 3 draws): quantiles and
 * quantile gradients are initialised from it and θ does not move [CODE]. Then each step, with the old
 * state and one batch (Jacobi):
 *
 * - **QF form** (two timescales) [CODE]: q, q̄ ← q + β_k(z − F̂(q)); Ĝ = −Σ_i a_i Δq_i Ĥ(q̄_i) + T̂,
 *   Ĥ(v) = (1/n)Σ(1{X ≤ v} − z̄)ψ, a_i = g̃'(z̄_i); θ ← Π(θ ∓ α_k Ĝ).
 * - **DM form** (three timescales) [CODE]: D_i ← D_i − γ_k(f̂_i D_i + Ĥ_i) with logistic-kernel KDE
 *   f̂_i at bandwidth h_k, so D_i tracks ∇q̄_i = −∇F/f; Ĝ = Σ b_i D_i + T̂ (signs: see README).
 * - **Hybrid** [CODE]: DM on the cells that hold a jump of g (or, `atomNodes: 'exact'` [RECON], at the
 *   jump levels), QF elsewhere.
 * - **Batching** baseline [CODE]: q, q̄ are the batch's empirical quantiles, QF gradient.
 *
 * T̂ is the tail term of `tailRule` ('cvar' [RECON] or the code's 'extrapolate').
 *
 * @example
 * ```ts
 * const s0 = drmSA.init({ form: 'qf', distortion: expectedShortfall(0.9), M: 10 }, new Float64Array([0]));
 * s0.sampleSize;
 * // 13
 * ```
 */
export const drmSA: SaMethod<DrmSaConfig, DrmSaState, DrmSample> = {
  name: 'drm-sa',
  init,
  step,
  stepInto,
};
