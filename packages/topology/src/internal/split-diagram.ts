import type { Diagram } from '../diagram.js';

/** A diagram split into finite points and the three kinds of essential points. @internal */
export interface SplitDiagram {
  /** Indices (into the diagram) of finite points. */
  finite: number[];
  /** (b, +∞) points: indices sorted by birth. */
  upper: number[];
  /** (−∞, d) points: indices sorted by death. */
  lower: number[];
  /** (−∞, +∞) points. */
  both: number[];
}

/** @internal */
export function splitDiagram(d: Diagram): SplitDiagram {
  const out: SplitDiagram = { finite: [], upper: [], lower: [], both: [] };
  for (let i = 0; i < d.birth.length; i++) {
    const b = d.birth[i]!;
    const e = d.death[i]!;
    if (b === -Infinity && e === Infinity) out.both.push(i);
    else if (b === -Infinity) out.lower.push(i);
    else if (e === Infinity) out.upper.push(i);
    else out.finite.push(i);
  }
  out.upper.sort((p, q) => d.birth[p]! - d.birth[q]! || p - q);
  out.lower.sort((p, q) => d.death[p]! - d.death[q]! || p - q);
  return out;
}
