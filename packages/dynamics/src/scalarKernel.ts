import { DescentError, describeValue } from '@descent/linalg';

/**
 * The unchecked classification kernel behind {@link scalarRegionKernel} (internal: drivers call it
 * after validating their config once). The fused classification kernel of the d = 1 scalar–vector map over a structure-of-arrays grid
 * (spec §c). For each pixel p in [start, end): iterate (u, v) = (x[p], z[p]) until the gradient norm
 * falls below √gradTol2 (status 1 if L ≤ lossCut else 3), ‖θ‖² exceeds bound2 (status 2) or maxSteps
 * pass (status 0). `rule` 1 is the fixed-budget loss-threshold rule. Writes the final iterate back to
 * x, z and the status, label and step count; returns the total number of GD steps taken.
 *
 * Labels (0 unless converged): `labelMode` 0 → 1 + [u < 0]; 1 → 1 + 2[u < 0] + [|u| ≤ |v|].
 *
 * Self-contained on purpose (no outside references): the worker-thread mode ships its source text.
 * The update is u' = u − η(r v + λu), v' = v − η(r u + λv) with r = uv − y, in exactly this order,
 * so the NumPy fixture reproduces it bit for bit.
 */
export function regionKernelRaw(
  x: Float64Array,
  z: Float64Array,
  status: Uint8Array,
  label: Uint8Array,
  steps: Int32Array,
  start: number,
  end: number,
  eta: number,
  y: number,
  lam: number,
  maxSteps: number,
  gradTol2: number,
  lossCut: number,
  bound2: number,
  rule: number,
  labelMode: number,
): number {
  let total = 0;
  // Writes one finished pixel; returns its step count.
  const finish = (p: number, u: number, v: number, t: number, st: number): number => {
    x[p] = u;
    z[p] = v;
    status[p] = st;
    steps[p] = t;
    label[p] = st === 1 ? (labelMode === 0 ? (u < 0 ? 2 : 1) : 1 + (u < 0 ? 2 : 0) + (Math.abs(u) <= Math.abs(v) ? 1 : 0)) : 0;
    return t;
  };
  if (rule === 0) {
    // Two neighbouring pixels advance in lockstep so the CPU overlaps their dependency chains
    // (neighbours usually need similar step counts); the survivor then finishes alone. Each pixel
    // still sees exactly the single-pixel sequence of operations.
    let p = start;
    for (; p + 2 <= end; p += 2) {
      let u0 = x[p]!;
      let v0 = z[p]!;
      let u1 = x[p + 1]!;
      let v1 = z[p + 1]!;
      let t0 = 0;
      let t1 = 0;
      let s0 = -1;
      let s1 = -1;
      while (s0 < 0 && s1 < 0) {
        if (t0 === maxSteps) s0 = 0;
        else {
          const r = u0 * v0 - y;
          const gu = r * v0 + lam * u0;
          const gv = r * u0 + lam * v0;
          if (gu * gu + gv * gv < gradTol2) s0 = 0.5 * r * r + 0.5 * lam * (u0 * u0 + v0 * v0) <= lossCut ? 1 : 3;
          else {
            u0 = u0 - eta * gu;
            v0 = v0 - eta * gv;
            t0++;
            if (!(u0 * u0 + v0 * v0 <= bound2)) s0 = 2;
          }
        }
        if (t1 === maxSteps) s1 = 0;
        else {
          const r = u1 * v1 - y;
          const gu = r * v1 + lam * u1;
          const gv = r * u1 + lam * v1;
          if (gu * gu + gv * gv < gradTol2) s1 = 0.5 * r * r + 0.5 * lam * (u1 * u1 + v1 * v1) <= lossCut ? 1 : 3;
          else {
            u1 = u1 - eta * gu;
            v1 = v1 - eta * gv;
            t1++;
            if (!(u1 * u1 + v1 * v1 <= bound2)) s1 = 2;
          }
        }
      }
      while (s0 < 0) {
        if (t0 === maxSteps) s0 = 0;
        else {
          const r = u0 * v0 - y;
          const gu = r * v0 + lam * u0;
          const gv = r * u0 + lam * v0;
          if (gu * gu + gv * gv < gradTol2) s0 = 0.5 * r * r + 0.5 * lam * (u0 * u0 + v0 * v0) <= lossCut ? 1 : 3;
          else {
            u0 = u0 - eta * gu;
            v0 = v0 - eta * gv;
            t0++;
            if (!(u0 * u0 + v0 * v0 <= bound2)) s0 = 2;
          }
        }
      }
      while (s1 < 0) {
        if (t1 === maxSteps) s1 = 0;
        else {
          const r = u1 * v1 - y;
          const gu = r * v1 + lam * u1;
          const gv = r * u1 + lam * v1;
          if (gu * gu + gv * gv < gradTol2) s1 = 0.5 * r * r + 0.5 * lam * (u1 * u1 + v1 * v1) <= lossCut ? 1 : 3;
          else {
            u1 = u1 - eta * gu;
            v1 = v1 - eta * gv;
            t1++;
            if (!(u1 * u1 + v1 * v1 <= bound2)) s1 = 2;
          }
        }
      }
      total += finish(p, u0, v0, t0, s0) + finish(p + 1, u1, v1, t1, s1);
    }
    for (; p < end; p++) {
      let u0 = x[p]!;
      let v0 = z[p]!;
      let t0 = 0;
      let s0 = -1;
      while (s0 < 0) {
        if (t0 === maxSteps) s0 = 0;
        else {
          const r = u0 * v0 - y;
          const gu = r * v0 + lam * u0;
          const gv = r * u0 + lam * v0;
          if (gu * gu + gv * gv < gradTol2) s0 = 0.5 * r * r + 0.5 * lam * (u0 * u0 + v0 * v0) <= lossCut ? 1 : 3;
          else {
            u0 = u0 - eta * gu;
            v0 = v0 - eta * gv;
            t0++;
            if (!(u0 * u0 + v0 * v0 <= bound2)) s0 = 2;
          }
        }
      }
      total += finish(p, u0, v0, t0, s0);
    }
    return total;
  }
  // Fixed-budget loss-threshold rule (the authors' rule): one pixel at a time.
  for (let p = start; p < end; p++) {
    let u = x[p]!;
    let v = z[p]!;
    let st = 0;
    let t = 0;
    for (; t < maxSteps; t++) {
      const r = u * v - y;
      const gu = r * v + lam * u;
      const gv = r * u + lam * v;
      u = u - eta * gu;
      v = v - eta * gv;
      if (!(u * u + v * v <= bound2)) {
        st = 2;
        t++;
        break;
      }
    }
    if (st === 0) {
      const r = u * v - y;
      if (0.5 * r * r + 0.5 * lam * (u * u + v * v) <= lossCut) st = 1;
    }
    total += finish(p, u, v, t, st);
  }
  return total;
}

/**
 * The unchecked map kernel behind {@link scalarMapKernel} (internal). The bare d = 1 scalar–vector GD map iterated `steps` times over every pixel in [start, end), with no
 * checks and no early exit: the benchmark's "same computation as NumPy" kernel. In place on x, z.
 */
export function mapKernelRaw(
  x: Float64Array,
  z: Float64Array,
  start: number,
  end: number,
  eta: number,
  y: number,
  lam: number,
  steps: number,
): void {
  let p = start;
  // Four pixels per pass: independent dependency chains the CPU can overlap.
  for (; p + 4 <= end; p += 4) {
    let u0 = x[p + 0]!, v0 = z[p + 0]!;
    let u1 = x[p + 1]!, v1 = z[p + 1]!;
    let u2 = x[p + 2]!, v2 = z[p + 2]!;
    let u3 = x[p + 3]!, v3 = z[p + 3]!;
    for (let t = 0; t < steps; t++) {
      const r0 = u0 * v0 - y;
      const gu0 = r0 * v0 + lam * u0;
      const gv0 = r0 * u0 + lam * v0;
      u0 = u0 - eta * gu0;
      v0 = v0 - eta * gv0;
      const r1 = u1 * v1 - y;
      const gu1 = r1 * v1 + lam * u1;
      const gv1 = r1 * u1 + lam * v1;
      u1 = u1 - eta * gu1;
      v1 = v1 - eta * gv1;
      const r2 = u2 * v2 - y;
      const gu2 = r2 * v2 + lam * u2;
      const gv2 = r2 * u2 + lam * v2;
      u2 = u2 - eta * gu2;
      v2 = v2 - eta * gv2;
      const r3 = u3 * v3 - y;
      const gu3 = r3 * v3 + lam * u3;
      const gv3 = r3 * u3 + lam * v3;
      u3 = u3 - eta * gu3;
      v3 = v3 - eta * gv3;
    }
    x[p + 0] = u0;
    z[p + 0] = v0;
    x[p + 1] = u1;
    z[p + 1] = v1;
    x[p + 2] = u2;
    z[p + 2] = v2;
    x[p + 3] = u3;
    z[p + 3] = v3;
  }
  for (; p < end; p++) {
    let u = x[p]!;
    let v = z[p]!;
    for (let t = 0; t < steps; t++) {
      const r = u * v - y;
      const gu = r * v + lam * u;
      const gv = r * u + lam * v;
      u = u - eta * gu;
      v = v - eta * gv;
    }
    x[p] = u;
    z[p] = v;
  }
}

/** Largest step budget of the kernels: step counts are stored in an Int32Array (and passed to wasm as i32). */
const MAX_KERNEL_STEPS = 2 ** 31 - 1;

/**
 * Largest work (steps × pixels) of one call of the map kernels, which have no early exit: about a
 * second of arithmetic. More work is split into pixel ranges or successive calls by the caller.
 */
export const MAX_MAP_WORK = 2 ** 30;

function kernelRange(where: string, lengths: readonly number[], start: number, end: number): void {
  const n = Math.min(...lengths);
  if (typeof start !== 'number' || typeof end !== 'number' || !Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start || end > n) {
    throw new DescentError('SHAPE_MISMATCH', where, `[start, end) = [${String(start)}, ${String(end)}) must be a range of pixels within the arrays' length ${n}`);
  }
}

function kernelNumber(where: string, name: string, v: unknown, ok: (x: number) => boolean, expected: string): void {
  if (typeof v !== 'number' || Number.isNaN(v) || !ok(v)) throw new DescentError('INVALID_CONFIG', where, `${name} must be ${expected}, got ${describeValue(v)}`);
}

const finite = (x: number) => Number.isFinite(x);

/**
 * The fused classification kernel of the d = 1 scalar–vector map over a structure-of-arrays grid
 * (spec §c). For each pixel p in [start, end): iterate (u, v) = (x[p], z[p]) until the gradient norm
 * falls below √gradTol2 (status 1 if L ≤ lossCut else 3), ‖θ‖² exceeds bound2 (status 2) or maxSteps
 * pass (status 0). `rule` 1 is the fixed-budget loss-threshold rule. Writes the final iterate back to
 * x, z and the status, label and step count; returns the total number of GD steps taken. Its
 * arguments are checked first (O(1): array types, the pixel range within every array, the scalars;
 * maxSteps ≤ 2³¹ − 1), so a bad call throws a DescentError before anything is written; the pixels'
 * values are not scanned (a NaN start ends undecided or diverged, as the map takes it).
 *
 * Labels (0 unless converged): `labelMode` 0 → 1 + [u < 0]; 1 → 1 + 2[u < 0] + [|u| ≤ |v|].
 * The update is u' = u − η(r v + λu), v' = v − η(r u + λv) with r = uv − y, in exactly this order,
 * so the NumPy fixture reproduces it bit for bit.
 *
 * @example
 * ```ts
 * const x = new Float64Array([0.3]), z = new Float64Array([0.2]);
 * scalarRegionKernel(x, z, new Uint8Array(1), new Uint8Array(1), new Int32Array(1), 0, 1, 0.5, 1, 0, 1000, 1e-18, 1e-6, 1e16, 0, 1) > 0;
 * // true
 * ```
 */
export function scalarRegionKernel(
  x: Float64Array,
  z: Float64Array,
  status: Uint8Array,
  label: Uint8Array,
  steps: Int32Array,
  start: number,
  end: number,
  eta: number,
  y: number,
  lam: number,
  maxSteps: number,
  gradTol2: number,
  lossCut: number,
  bound2: number,
  rule: number,
  labelMode: number,
): number {
  const where = 'scalarRegionKernel';
  if (!(x instanceof Float64Array) || !(z instanceof Float64Array)) throw new DescentError('SHAPE_MISMATCH', where, 'x and z must be Float64Arrays');
  if (!(status instanceof Uint8Array) || !(label instanceof Uint8Array)) throw new DescentError('SHAPE_MISMATCH', where, 'status and label must be Uint8Arrays');
  if (!(steps instanceof Int32Array)) throw new DescentError('SHAPE_MISMATCH', where, 'steps must be an Int32Array');
  kernelRange(where, [x.length, z.length, status.length, label.length, steps.length], start, end);
  kernelNumber(where, 'eta', eta, finite, 'a finite number');
  kernelNumber(where, 'y', y, finite, 'a finite number');
  kernelNumber(where, 'lam', lam, finite, 'a finite number');
  kernelNumber(where, 'maxSteps', maxSteps, (v) => Number.isInteger(v) && v >= 0 && v <= MAX_KERNEL_STEPS, `an integer in [0, ${MAX_KERNEL_STEPS}]`);
  kernelNumber(where, 'gradTol2', gradTol2, () => true, 'a number');
  kernelNumber(where, 'lossCut', lossCut, () => true, 'a number');
  kernelNumber(where, 'bound2', bound2, () => true, 'a number');
  kernelNumber(where, 'rule', rule, (v) => v === 0 || v === 1, '0 (gradient) or 1 (loss threshold)');
  kernelNumber(where, 'labelMode', labelMode, (v) => v === 0 || v === 1, '0 or 1');
  return regionKernelRaw(x, z, status, label, steps, start, end, eta, y, lam, maxSteps, gradTol2, lossCut, bound2, rule, labelMode);
}

/**
 * The bare d = 1 scalar–vector GD map iterated `steps` times over every pixel in [start, end), with no
 * early exit: the benchmark's "same computation as NumPy" kernel. In place on x, z. Its arguments
 * are checked first (O(1); steps ≤ 2³¹ − 1 and steps × pixels ≤ 2³⁰ per call, so nothing runs for
 * minutes by mistake); the pixels' values are not scanned.
 *
 * @example
 * ```ts
 * const x = new Float64Array([1]), z = new Float64Array([0]);
 * scalarMapKernel(x, z, 0, 1, 0.5, 1, 0, 1);
 * [x[0], z[0]];
 * // [1, 0.5]
 * ```
 */
export function scalarMapKernel(
  x: Float64Array,
  z: Float64Array,
  start: number,
  end: number,
  eta: number,
  y: number,
  lam: number,
  steps: number,
): void {
  const where = 'scalarMapKernel';
  if (!(x instanceof Float64Array) || !(z instanceof Float64Array)) throw new DescentError('SHAPE_MISMATCH', where, 'x and z must be Float64Arrays');
  kernelRange(where, [x.length, z.length], start, end);
  kernelNumber(where, 'eta', eta, finite, 'a finite number');
  kernelNumber(where, 'y', y, finite, 'a finite number');
  kernelNumber(where, 'lam', lam, finite, 'a finite number');
  kernelNumber(where, 'steps', steps, (v) => Number.isInteger(v) && v >= 0 && v <= MAX_KERNEL_STEPS, `an integer in [0, ${MAX_KERNEL_STEPS}]`);
  if (steps * (end - start) > MAX_MAP_WORK) {
    throw new DescentError('INVALID_CONFIG', where, `steps × pixels = ${steps * (end - start)} is above the work limit of ${MAX_MAP_WORK} per call: split the range`);
  }
  mapKernelRaw(x, z, start, end, eta, y, lam, steps);
}
