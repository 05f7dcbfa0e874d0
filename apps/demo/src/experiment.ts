import type { Effect } from './stats.js';

/** How a reproduction came out, decided from the effects' intervals by the experiment's criteria. */
export type Verdict = 'reproduced' | 'partially reproduced' | 'not reproduced' | 'inconclusive';

/** A vega-lite specification (kept loose: the plotting library validates it). */
export type PlotSpec = Record<string, unknown>;

/** What one experiment reports. */
export interface ExperimentResult {
  /** What ran, in a phrase: "(a + b) mod 31, MLP width 128, SGD lr 0.7 vs EGD on W1". */
  setup: string;
  /** Seeds (independent repetitions) the intervals are computed over. */
  seeds: number;
  /** The measured effects with their 95% intervals and criteria; the verdict follows from them. */
  effects: Effect[];
  verdict: Verdict;
  /** Further figures in a sentence (for the HTML report). */
  details: string;
  /** What still differs from the paper's setup (listed in the experiment's report section). */
  deviations: string[];
  /** A vega-lite spec with inline data, showing the spread over seeds. */
  plot: PlotSpec;
  /** Raw numbers for results.json. */
  data: Record<string, unknown>;
}

/** Problem sizes: `quick` for the test, `default` for `npm run demo`, `full` closer to the paper. */
export type Scale = 'quick' | 'default' | 'full';

/** Settings every experiment receives. */
export interface RunContext {
  /** Base seed; seed s of an experiment is derived from it. */
  seed: number;
  /** Number of seeds (independent repetitions) to run. */
  seeds: number;
  scale: Scale;
  /** Reports progress inside the experiment: `done` of `total` units of work. */
  progress: (done: number, total: number) => void;
}

/** One reproduction of one paper's headline claim. */
export interface Experiment {
  /** Short id for `--only`. */
  id: string;
  /** Paper title (short). */
  paper: string;
  /** The headline claim being checked. */
  claim: string;
  run(ctx: RunContext): Promise<ExperimentResult> | ExperimentResult;
}

/**
 * The verdict from the effects' outcomes: all pass → reproduced; all fail → not reproduced; none
 * passes and none fails → inconclusive; anything else → partially reproduced. An experiment whose
 * headline effect fails is "not reproduced" only when every other effect fails too.
 */
export function verdictOf(effects: readonly Effect[]): Verdict {
  const pass = effects.filter((e) => e.outcome === 'pass').length;
  const fail = effects.filter((e) => e.outcome === 'fail').length;
  if (effects.length === 0) return 'inconclusive';
  if (pass === effects.length) return 'reproduced';
  if (fail === effects.length) return 'not reproduced';
  if (pass === 0 && fail === 0) return 'inconclusive';
  if (pass === 0) return 'not reproduced';
  return 'partially reproduced';
}

/** Seeds 0..n−1 of an experiment, offset by the run's base seed. */
export function seedList(ctx: RunContext): number[] {
  return Array.from({ length: ctx.seeds }, (_, i) => ctx.seed * 1000 + i);
}

/** Picks the value for the run's scale. */
export function byScale<T>(ctx: RunContext, values: { quick: T; default: T; full: T }): T {
  return values[ctx.scale];
}
