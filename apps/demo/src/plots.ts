import type { PlotSpec } from './experiment.js';
import type { Interval } from './stats.js';

/** One group of per-seed values, with the interval of its effect (drawn as a bar from lo to hi). */
export interface SpreadGroup {
  label: string;
  values: readonly number[];
  interval?: Interval;
}

/**
 * Per-seed values as points, one column per group, with each group's 95% interval as a rule and its
 * estimate as a tick: the spread over seeds is visible. `zero` draws a reference line at that value.
 */
export function spreadPlot(title: string, yTitle: string, groups: readonly SpreadGroup[], options: { reference?: number; log?: boolean } = {}): PlotSpec {
  const points = groups.flatMap((g) => g.values.map((v, seed) => ({ group: g.label, seed, value: v })));
  const intervals = groups
    .filter((g) => g.interval && Number.isFinite(g.interval.lo) && Number.isFinite(g.interval.hi))
    .map((g) => ({ group: g.label, lo: g.interval!.lo, hi: g.interval!.hi, estimate: g.interval!.estimate }));
  const y = { type: 'quantitative' as const, title: yTitle, scale: { zero: false, ...(options.log ? { type: 'log' } : {}) } };
  const x = { field: 'group', type: 'nominal' as const, title: null, sort: null, axis: { labelAngle: 0, labelLimit: 160 } };
  const layer: PlotSpec[] = [
    { data: { values: points }, mark: { type: 'point', filled: true, size: 60, opacity: 0.7 }, encoding: { x, y: { field: 'value', ...y }, color: { field: 'group', type: 'nominal', legend: null } } },
  ];
  if (intervals.length > 0) {
    layer.push({ data: { values: intervals }, mark: { type: 'rule', strokeWidth: 2, color: 'black' }, encoding: { x, y: { field: 'lo', ...y }, y2: { field: 'hi' } } });
    layer.push({ data: { values: intervals }, mark: { type: 'tick', color: 'black', thickness: 2, size: 24 }, encoding: { x, y: { field: 'estimate', ...y } } });
  }
  if (options.reference !== undefined) {
    layer.push({ data: { values: [{ ref: options.reference }] }, mark: { type: 'rule', strokeDash: [4, 3], color: 'grey' }, encoding: { y: { field: 'ref', type: 'quantitative' } } });
  }
  return { title, layer };
}
