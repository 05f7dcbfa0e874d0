// A switch for tests: while on, every secular-equation root reports non-convergence, so the
// divide-and-conquer solvers take their fallback (QL for eigh, bidiagonal QR for svd), a path no
// ordinary input reaches.

let forced = false;

/** Makes every secular root fail (`true`) or behave normally again (`false`). @internal */
export function forceSecularFailure(on: boolean): void {
  forced = on;
}

/** Whether {@link forceSecularFailure} is on. @internal */
export function secularFailureForced(): boolean {
  return forced;
}
