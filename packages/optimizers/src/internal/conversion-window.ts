/** The online-to-nonconvex bookkeeping both O2NC and ODOG keep in their states. */
export interface ConversionWindowState {
  readonly x: Float64Array;
  readonly query: Float64Array;
  readonly anchor: Float64Array;
  readonly windowSum: Float64Array;
  readonly windowCount: number;
  readonly windows: number;
  readonly window: number;
}

/**
 * One round of the conversion's bookkeeping (Cutkosky, Mehta, Orabona 2023): the anchor moves by the
 * learner's Δ (x_n = x_{n−1} + Δ_n), the query point w_n joins the window sum, and when the window of
 * T rounds is full its average becomes the output `x` and the sum restarts; otherwise `x` is kept.
 * Writes `out.anchor`, `out.windowSum` and `out.x`; returns the new window count and completed windows.
 */
export function advanceConversionWindow(
  s: ConversionWindowState,
  delta: Float64Array,
  out: { anchor: Float64Array; windowSum: Float64Array; x: Float64Array },
): { windowCount: number; windows: number } {
  const n = s.x.length;
  const w = s.query;
  const anchor = out.anchor;
  const ws = out.windowSum;
  for (let i = 0; i < n; i++) {
    anchor[i] = s.anchor[i]! + delta[i]!;
    ws[i] = s.windowSum[i]! + w[i]!;
  }
  const count = s.windowCount + 1;
  if (count < s.window) {
    out.x.set(s.x);
    return { windowCount: count, windows: s.windows };
  }
  const inv = 1 / s.window;
  for (let i = 0; i < n; i++) {
    out.x[i] = ws[i]! * inv;
    ws[i] = 0;
  }
  return { windowCount: 0, windows: s.windows + 1 };
}
