/**
 * The fused classification kernel of the d = 1 scalar–vector map over a structure-of-arrays grid
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
  let total = 0;
  for (let p = start; p < end; p++) {
    let u = x[p]!;
    let v = z[p]!;
    let st = 0;
    let t = 0;
    if (rule === 0) {
      for (; t < maxSteps; t++) {
        const r = u * v - y;
        const gu = r * v + lam * u;
        const gv = r * u + lam * v;
        if (gu * gu + gv * gv < gradTol2) {
          st = 0.5 * r * r + 0.5 * lam * (u * u + v * v) <= lossCut ? 1 : 3;
          break;
        }
        u = u - eta * gu;
        v = v - eta * gv;
        if (!(u * u + v * v <= bound2)) {
          st = 2;
          t++;
          break;
        }
      }
    } else {
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
    }
    total += t;
    x[p] = u;
    z[p] = v;
    status[p] = st;
    steps[p] = t;
    let lab = 0;
    if (st === 1) {
      lab = labelMode === 0 ? (u < 0 ? 2 : 1) : 1 + (u < 0 ? 2 : 0) + (Math.abs(u) <= Math.abs(v) ? 1 : 0);
    }
    label[p] = lab;
  }
  return total;
}

/**
 * The bare d = 1 scalar–vector GD map iterated `steps` times over every pixel in [start, end), with no
 * checks and no early exit: the benchmark's "same computation as NumPy" kernel. In place on x, z.
 *
 * @example
 * ```ts
 * const x = new Float64Array([1]), z = new Float64Array([0]);
 * scalarMapKernel(x, z, 0, 1, 0.5, 1, 0, 1); [x[0], z[0]];
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
  for (let p = start; p < end; p++) {
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
