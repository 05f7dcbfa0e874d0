import { DescentError, key as makeKey } from '@descent/linalg';
import {
  PAPER_RATES, drmOfQuantileFunction, expectedShortfall, gaussianPortfolioProblem, gaussianScenarios, mixture, mixturePpf,
  normalizedMixture, quantileDistance, rateSchedules, robustPortfolioProblem, runDrmSA, sampleAverageOptimize, valueAtRisk,
  type Distortion, type RobustSetting, type SaForm, type Schedules,
} from '@descent/risk';

/** Options of {@link portfolioRateExperiment}. */
export interface RateExperimentOptions {
  /** SA iterations K (default 10⁵). */
  iterations?: number;
  /** Independent replications R (default 20). */
  replications?: number;
  /** Draws per iteration (default 10). */
  batchSize?: number;
  /** Grid cells (default 100). */
  M?: number;
  /** Base seed (default 2025). */
  seed?: number;
  /** `'rate'` (default): the exponents of the paper's rates ({@link rateSchedules}); `'code'`: 0.71/0.70/0.14/1. */
  exponents?: 'rate' | 'code';
  /** Sample sizes of the sample-average baseline (default [10³, 10⁴]; [] to skip). */
  saaSizes?: number[];
}

/** One method's measured convergence. */
export interface RateExperimentRow {
  method: string;
  form: SaForm;
  distortion: string;
  /** Iteration counts of the checkpoints (log-spaced). */
  checkpoints: number[];
  /** Mean over replications of ‖w_k − w*‖² at each checkpoint. */
  mse: number[];
  /** ‖w_k − w*‖² per replication (rows) and checkpoint (columns), for intervals over replications. */
  perReplication: number[][];
  /** OLS slope of log MSE on log k over the checkpoints with k ≥ K/100. */
  slope: number;
  /** The paper's rate exponent for this form (QF −2/3, DM and hybrid −4/7). */
  paperRate: number;
  /** Mean final iterate and the closed-form optimum. */
  meanFinal: number[];
  optimum: number[];
}

/** What {@link portfolioRateExperiment} returns (the figures apps/demo prints). */
export interface RateExperimentResult {
  iterations: number;
  replications: number;
  rows: RateExperimentRow[];
  /** Sample-average baseline: N scenarios, mean ‖w_N − w*‖² over replications (CVaR row's problem). */
  saa: { N: number; mse: number }[];
}

/**
 * The convergence-rate experiment on the Gaussian mean–DRM portfolio (closed-form optimum, spec §g.2):
 * QF-form on CVaR_0.9, DM-form on CVaR_0.9, hybrid on ½CVaR_0.9 + ½VaR_0.9 (DM on the jump cell), each run
 * R times for K iterations from w₀ = (⅓, ⅓, ⅓) on the simplex; MSE = mean ‖w_k − w*‖² at log-spaced
 * checkpoints and its fitted log-log slope, next to the paper's O(k^{-2/3}) (QF) and O(k^{-4/7}) (DM).
 * The paper's rates are worst-case upper bounds; on this strongly convex 3-asset problem the measured
 * slopes are steeper (spec §j.3: −0.8 … −1.1). Plus the sample-average (sort-based) baseline.
 */
export function portfolioRateExperiment(options: RateExperimentOptions = {}): RateExperimentResult {
  const K = options.iterations ?? 100000;
  const R = options.replications ?? 20;
  const n = options.batchSize ?? 10;
  const M = options.M ?? 100;
  const seed = options.seed ?? 2025;
  if (!Number.isInteger(K) || K < 100) throw new DescentError('INVALID_CONFIG', 'portfolioRateExperiment', `iterations must be an integer >= 100, got ${K}`);
  if (!Number.isInteger(R) || R < 1) throw new DescentError('INVALID_CONFIG', 'portfolioRateExperiment', `replications must be an integer >= 1, got ${R}`);
  const checkpoints: number[] = [];
  for (let e = 2; 10 ** e <= K * 1.0000001; e += 0.5) checkpoints.push(Math.round(10 ** e));
  if (checkpoints[checkpoints.length - 1] !== K) checkpoints.push(K);
  // Spec §j.3 scales: θ 0.04·(50/(50+k)), q and D 1·(…), h 0.5·sd·(…).
  const scales: Schedules = {
    theta: { a: 0.04, b: 50, c: 1 },
    quantile: { a: 1, b: 50, c: 0.71 },
    gradient: { a: 1, b: 50, c: 0.7 },
    bandwidth: { a: 0.5, b: 50, c: 0.14 },
  };
  const methods: [string, SaForm, Distortion][] = [
    ['QF-form', 'qf', expectedShortfall(0.9)],
    ['DM-form', 'dm', expectedShortfall(0.9)],
    ['hybrid', 'hybrid', mixture([expectedShortfall(0.9), valueAtRisk(0.9)], [0.5, 0.5])],
  ];
  const rows: RateExperimentRow[] = [];
  for (const [name, form, d] of methods) {
    const problem = gaussianPortfolioProblem(d);
    const wstar = problem.optimum.x;
    const schedules = (options.exponents ?? 'rate') === 'rate' ? rateSchedules(form === 'batching' ? 'qf' : form, scales) : scales;
    const mse = checkpoints.map(() => 0);
    const perReplication: number[][] = [];
    const meanFinal = new Float64Array(wstar.length);
    for (let r = 0; r < R; r++) {
      const res = runDrmSA({ form, distortion: d, M, projection: problem.projection, schedules, batchSize: n }, problem.x0, problem.model, makeKey(seed + 7919 * r), {
        iterations: K,
        checkpoints,
      });
      const errors: number[] = [];
      res.trace.forEach((w, i) => {
        let e = 0;
        for (let j = 0; j < w.length; j++) e += (w[j]! - wstar[j]!) ** 2;
        mse[i] += e / R;
        errors.push(e);
      });
      perReplication.push(errors);
      for (let j = 0; j < wstar.length; j++) meanFinal[j] += res.state.x[j]! / R;
    }
    rows.push({
      method: name,
      form,
      distortion: d.name,
      checkpoints: [...checkpoints],
      mse,
      perReplication,
      slope: logLogSlope(checkpoints, mse, K / 100),
      paperRate: form === 'qf' ? PAPER_RATES.qf : PAPER_RATES.dm,
      meanFinal: Array.from(meanFinal),
      optimum: Array.from(wstar),
    });
  }
  const saa: { N: number; mse: number }[] = [];
  const base = gaussianPortfolioProblem(expectedShortfall(0.9));
  for (const N of options.saaSizes ?? [1000, 10000]) {
    let m = 0;
    const reps = Math.min(R, 5);
    for (let r = 0; r < reps; r++) {
      const sol = sampleAverageOptimize(base.x0, {
        distortion: base.distortion,
        scenarios: gaussianScenarios(base.returns, N, makeKey(seed + 104729 * (r + 1) + N)),
        projection: base.projection,
        iterations: 300,
      });
      for (let j = 0; j < sol.x.length; j++) m += (sol.x[j]! - base.optimum.x[j]!) ** 2 / reps;
    }
    saa.push({ N, mse: m });
  }
  return { iterations: K, replications: R, rows, saa };
}

/**
 * OLS slope of log y on log x over the points with x ≥ from.
 */
export function logLogSlope(x: readonly number[], y: readonly number[], from = 0): number {
  const lx: number[] = [];
  const ly: number[] = [];
  x.forEach((v, i) => {
    if (v >= from && y[i]! > 0) {
      lx.push(Math.log(v));
      ly.push(Math.log(y[i]!));
    }
  });
  if (lx.length < 2) return NaN;
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < lx.length; i++) {
    sxy += (lx[i]! - mx) * (ly[i]! - my);
    sxx += (lx[i]! - mx) ** 2;
  }
  return sxy / sxx;
}

/**
 * Formats {@link portfolioRateExperiment} as a plain-text table (what `scripts` and apps/demo print).
 */
export function formatRateExperiment(r: RateExperimentResult): string {
  const lines: string[] = [];
  lines.push(`Gaussian mean–DRM portfolio (3 assets, simplex), K = ${r.iterations}, R = ${r.replications}: MSE = mean ‖w_k − w*‖²`);
  const ks = r.rows[0]?.checkpoints ?? [];
  lines.push(['method', 'distortion', ...ks.map((k) => `k=${k}`), 'slope', 'paper'].join('\t'));
  for (const row of r.rows) {
    const paper = row.form === 'qf' ? 'O(k^-2/3) = -0.667' : 'O(k^-4/7) = -0.571';
    lines.push([row.method, row.distortion, ...row.mse.map((v) => v.toExponential(2)), row.slope.toFixed(3), paper].join('\t'));
  }
  for (const s of r.saa) lines.push(`sample-average baseline (sort-based subgradient), N = ${s.N}: MSE ${s.mse.toExponential(2)}`);
  return lines.join('\n');
}

/** Options of {@link robustPortfolioExperiment}. */
export interface RobustExperimentOptions {
  /** Settings and forms to run (default: cvar with qf, dm, batching; discontinuous with hybrid, dm). */
  runs?: { setting: RobustSetting; form: SaForm }[];
  /** Iterations per run (default 10⁵, as the code). */
  iterations?: number;
  /** Replications (default 3). */
  replications?: number;
  /** Base seed (default 2025). */
  seed?: number;
}

/** One row of {@link robustPortfolioExperiment}. */
export interface RobustExperimentRow {
  setting: RobustSetting;
  form: SaForm;
  /** ρ of the initial law and of the final laws (one per replication), by the code's 1025-level rule. */
  rho0: number;
  rhoFinal: number[];
  /** sup ρ over mean-0/variance-1 laws. */
  optimum: number;
  /** ∫(q_θ − q*)² of the final laws (500-level trapezoid). */
  quantileDistance: number[];
}

/**
 * The paper's robust portfolio experiment [CODE `robust_portfolio/main.py`]: maximise ρ_g over the
 * normalised 10-component Gaussian mixture and compare the DRM reached with the worst-case value ρ* and
 * the learned quantile function with q*. Batching uses the code's rule: n·N draws per step with θ step
 * a·N, b/N over K/N steps (N = 1 here: the `batching` baseline).
 */
export function robustPortfolioExperiment(options: RobustExperimentOptions = {}): RobustExperimentRow[] {
  const runs = options.runs ?? [
    { setting: 'cvar', form: 'qf' },
    { setting: 'cvar', form: 'dm' },
    { setting: 'cvar', form: 'batching' },
    { setting: 'discontinuous', form: 'hybrid' },
    { setting: 'discontinuous', form: 'dm' },
  ];
  const K = options.iterations ?? 100000;
  const R = options.replications ?? 3;
  const seed = options.seed ?? 2025;
  const rows: RobustExperimentRow[] = [];
  for (const { setting, form } of runs) {
    const row: RobustExperimentRow = { setting, form, rho0: NaN, rhoFinal: [], optimum: NaN, quantileDistance: [] };
    for (let r = 0; r < R; r++) {
      const p = robustPortfolioProblem(setting, makeKey(seed + r));
      const rho = (th: Float64Array) => {
        const law = normalizedMixture(th);
        return drmOfQuantileFunction((u) => mixturePpf(law, u), p.distortion, { rule: 'grid' });
      };
      if (r === 0) {
        row.rho0 = rho(p.x0);
        row.optimum = p.optimum.value;
      }
      const res = runDrmSA(
        { form, distortion: p.distortion, M: p.M, gridPow: p.gridPow, schedules: p.schedules, projection: p.projection, sense: 'max', bandwidth: p.bandwidth, batchSize: p.batchSize },
        p.x0,
        p.model,
        makeKey(seed + 7919 * (r + 1)),
        { iterations: K },
      );
      row.rhoFinal.push(rho(res.state.x));
      row.quantileDistance.push(quantileDistance(normalizedMixture(res.state.x), p.optimum.quantile, 500));
    }
    rows.push(row);
  }
  return rows;
}
