import { DescentError } from '@descent/linalg';
import type { Method, MethodState, Oracle, OracleResult, ValueAndGrad } from '../method.js';

/** The oracle's answer split into its parts; `value` is NaN when the oracle gave none. */
export interface Observed {
  value: number;
  grad: Float64Array;
  /** The oracle's answer as it came, for methods that observe `'oracle'`. */
  raw: OracleResult;
}

/** Calls the oracle at `x` and normalises its answer into `into` (reused: no allocation). */
export function callOracle(where: string, oracle: Oracle, x: Float64Array, into: Observed): Observed {
  const r: OracleResult = oracle(x);
  into.raw = r;
  if (r instanceof Float64Array) {
    into.grad = r;
    into.value = NaN;
  } else if (r !== null && typeof r === 'object' && r.grad instanceof Float64Array) {
    into.grad = r.grad;
    into.value = r.value ?? NaN;
  } else {
    throw new DescentError('SHAPE_MISMATCH', where, 'the oracle must return a Float64Array gradient or { value?, grad }');
  }
  return into;
}

/**
 * What to hand to `method.step`: the gradient, `{ value, grad }` for loss-aware methods, or the oracle's
 * answer unchanged for methods that observe `'oracle'` (a gradient with its Fisher, per-sample
 * gradients, ...).
 */
export function observation<S extends MethodState>(where: string, method: Method<unknown, S, unknown>, o: Observed, vg: { value: number; grad: Float64Array }): OracleResult {
  if (method.observes === 'grad') return o.grad;
  if (method.observes === 'oracle') return o.raw;
  if (Number.isNaN(o.value)) {
    throw new DescentError('INVALID_CONFIG', where, `method '${method.name}' needs the loss value: the oracle must return { value, grad }`);
  }
  vg.value = o.value;
  vg.grad = o.grad;
  return vg;
}

/** Euclidean norm, four accumulators. */
export function norm(x: Float64Array): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  const n = x.length;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += x[i]! * x[i]!;
    s1 += x[i + 1]! * x[i + 1]!;
    s2 += x[i + 2]! * x[i + 2]!;
    s3 += x[i + 3]! * x[i + 3]!;
  }
  for (; i < n; i++) s0 += x[i]! * x[i]!;
  return Math.sqrt(s0 + s1 + (s2 + s3));
}

/** ‖a − b‖₂ without a temporary. */
export function distance(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    s += d * d;
  }
  return Math.sqrt(s);
}
