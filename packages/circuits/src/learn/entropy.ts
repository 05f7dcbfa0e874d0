// The entropy-regularised M-step of one parameter slice (Liu & Van den Broeck 2021, "Tractable
// Regularization of Probabilistic Circuits"): maximise Σ_j a_j log θ_j + b·H(θ) over the simplex,
// with a_j ≥ 0 the (per-sample) expected counts and b = τ·TD(n) ≥ 0 the entropy weight of the node.
// Internal.

/**
 * @internal Writes argmax_θ Σ_j a_j log θ_j − b Σ_j θ_j log θ_j (θ on the simplex) into
 * `out[o..o+K)`, for b > 0. Stationarity: a_j / θ_j − b log θ_j = μ for one multiplier μ; each θ_j(μ)
 * is decreasing in μ, so μ is found by a safeguarded Newton iteration on Σ_j θ_j(μ) = 1 and each
 * θ_j(μ) by Newton on u = log θ_j started left of its root (the residual is convex and decreasing in
 * u, so the iterates increase monotonically and never overflow). The slice is renormalised at the end.
 */
export function entropyRegularizedSlice(a: Float64Array, ao: number, K: number, b: number, out: Float64Array, o: number): void {
  if (K === 1) {
    out[o] = 1;
    return;
  }
  const logK = Math.log(K);
  // θ_j(μ) ≥ 1/K for every j when μ ≤ min_j φ_j(1/K), ≤ 1/K when μ ≥ max_j φ_j(1/K), φ_j(θ) = a_j/θ − b log θ.
  let lo = Infinity;
  let hi = -Infinity;
  for (let j = 0; j < K; j++) {
    const v = K * a[ao + j]! + b * logK;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  let mu = 0.5 * (lo + hi);
  for (let it = 0; it < 200; it++) {
    let sum = 0;
    let slope = 0;
    for (let j = 0; j < K; j++) {
      const t = thetaAt(a[ao + j]!, b, mu);
      out[o + j] = t;
      sum += t;
      slope += t / (a[ao + j]! / t + b);
    }
    const g = sum - 1;
    if (Math.abs(g) <= 1e-15) break;
    if (g > 0) lo = mu;
    else hi = mu;
    // Newton on μ (g'(μ) = −slope), kept inside the bracket; bisect otherwise.
    let next = mu + g / slope;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (next === mu || hi - lo <= 1e-15 * Math.max(1, Math.abs(mu))) break;
    mu = next;
  }
  let s = 0;
  for (let j = 0; j < K; j++) s += out[o + j]!;
  const r = 1 / s;
  for (let j = 0; j < K; j++) out[o + j] = out[o + j]! * r;
}

/** The θ > 0 with a/θ − b log θ = μ (a ≥ 0, b > 0, μ ≥ 0). */
function thetaAt(a: number, b: number, mu: number): number {
  if (a === 0) return Math.exp(-mu / b);
  // h(u) = a e^{−u} − b u − μ is convex and decreasing; h ≥ 0 at u0 = min(0, log(a/μ)).
  let u = mu > a ? Math.log(a / mu) : 0;
  for (let it = 0; it < 100; it++) {
    const e = a * Math.exp(-u);
    const h = e - b * u - mu;
    const step = h / (e + b);
    u += step;
    if (!(Math.abs(step) > 1e-15 * Math.max(1, Math.abs(u)))) break;
  }
  return Math.exp(u);
}
