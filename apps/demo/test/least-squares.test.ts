import { expect, test } from 'vitest';
import { leastSquares } from '../src/least-squares.js';

test('least squares recovers the planted solution to the noise level', () => {
  const r = leastSquares(1, 200, 20, 1e-3);
  // Error ≈ noise·√(cols/rows)/‖x★‖ ≈ 1e-3·0.3/4.5; allow a factor 10 over that.
  expect(r.relativeError).toBeLessThan(1e-3);
  // Residual ≈ noise·√(rows − cols) ≈ 1.3e-2.
  expect(r.residual).toBeGreaterThan(5e-3);
  expect(r.residual).toBeLessThan(3e-2);
});
