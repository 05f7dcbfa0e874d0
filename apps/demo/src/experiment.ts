/** How a reproduction came out, decided from the measurement by the experiment's own criterion. */
export type Verdict = 'reproduced' | 'partially reproduced' | 'not reproduced';

/** A vega-lite specification (kept loose: the plotting library validates it). */
export type PlotSpec = Record<string, unknown>;

/** What one experiment reports. */
export interface ExperimentResult {
  /** What was measured, in a phrase: "epochs to 95% test accuracy, EGD vs SGD". */
  measured: string;
  /** Our figure, in a phrase: "EGD 12, SGD 180 (15.0×)". */
  figure: string;
  verdict: Verdict;
  /** Why the verdict follows from the figure (the criterion, stated). */
  criterion: string;
  /** A vega-lite spec with inline data. */
  plot: PlotSpec;
  /** Raw numbers for results.json. */
  data: Record<string, unknown>;
}

/** Settings every experiment receives. */
export interface RunContext {
  seed: number;
  /** Small sizes: the whole registry under 60 s (used by the test). */
  quick: boolean;
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
 * A verdict from a list of named checks: all pass → reproduced, some → partially, none → not.
 */
export function verdictFrom(checks: readonly boolean[]): Verdict {
  const passed = checks.filter(Boolean).length;
  if (passed === checks.length) return 'reproduced';
  if (passed === 0) return 'not reproduced';
  return 'partially reproduced';
}
