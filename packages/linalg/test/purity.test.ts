import fc from 'fast-check';
import { describe, test } from 'vitest';
import * as L from '@descent/linalg';
import { doesNotMutate, gaussianMatrix, rankDeficientMatrix } from '@descent/linalg/laws';

const mat = gaussianMatrix({ maxRows: 8, maxCols: 8 });
const square = fc.integer({ min: 1, max: 8 }).chain((n) => gaussianMatrix({ minRows: n, maxRows: n, minCols: n, maxCols: n }));
const spd = square.map((a) => {
  const g = L.gram(a);
  for (let i = 0; i < g.rows; i++) g.data[i * g.cols + i] += 1;
  return g;
});
const vecPair = fc.integer({ min: 1, max: 20 }).chain((n) =>
  fc.tuple(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 0, max: 1e9 })).map(([a, b]) => [L.normal(L.key(a), n), L.normal(L.key(b), n)] as [Float64Array, Float64Array]),
);

describe('no function mutates its inputs', () => {
  test.each([
    ['svd', mat.map((a) => [a] as const), (a: L.Matrix) => L.svd(a)],
    ['svd (rank-deficient)', rankDeficientMatrix().map((a) => [a] as const), (a: L.Matrix) => L.svd(a)],
    ['qr', mat.map((a) => [a] as const), (a: L.Matrix) => L.qr(a)],
    ['eigh', spd.map((a) => [a] as const), (a: L.Matrix) => L.eigh(a)],
    ['cholesky', spd.map((a) => [a] as const), (a: L.Matrix) => L.cholesky(a)],
    ['lu', square.map((a) => [a] as const), (a: L.Matrix) => L.lu(a)],
    ['pinv', mat.map((a) => [a] as const), (a: L.Matrix) => L.pinv(a)],
    ['polar', mat.map((a) => [a] as const), (a: L.Matrix) => L.polar(a)],
    ['newtonSchulz', mat.map((a) => [a] as const), (a: L.Matrix) => L.newtonSchulz(a)],
    ['racs', mat.map((a) => [a] as const), (a: L.Matrix) => L.racs(a)],
    ['racs oneshot', mat.map((a) => [a] as const), (a: L.Matrix) => L.racs(a, { variant: 'oneshot' })],
    ['invSqrtPsd', spd.map((a) => [a] as const), (a: L.Matrix) => L.invSqrtPsd(a, { damping: 0.1 })],
    ['transpose', mat.map((a) => [a] as const), (a: L.Matrix) => L.transpose(a)],
    ['gram', mat.map((a) => [a] as const), (a: L.Matrix) => L.gram(a)],
    ['gemm', mat.map((a) => [a] as const), (a: L.Matrix) => L.gemm(a, a, { transA: true })],
  ] as const)('%s', (_name, arb, fn) => {
    fc.assert(doesNotMutate(fn as (a: L.Matrix) => unknown, arb as unknown as fc.Arbitrary<[L.Matrix]>), { numRuns: 30 });
  });

  test('vector kernels, solve, lstsq, woodbury', () => {
    fc.assert(doesNotMutate((x: Float64Array, y: Float64Array) => [L.dot(x, y), L.axpy(2, x, y), L.scale(3, x), L.norm2(x)], vecPair), { numRuns: 30 });
    fc.assert(
      doesNotMutate(
        (a: L.Matrix, b: Float64Array) => [L.solve(a, b), L.lstsq(a, b)],
        square.chain((a) => fc.integer({ min: 0, max: 1e9 }).map((s) => [a, L.normal(L.key(s), a.rows)] as [L.Matrix, Float64Array])),
      ),
      { numRuns: 30 },
    );
    fc.assert(
      doesNotMutate(
        (g: L.Matrix, v: Float64Array) => L.woodburySolve(g, v, 0.5),
        mat.chain((g) => fc.integer({ min: 0, max: 1e9 }).map((s) => [g, L.normal(L.key(s), g.cols)] as [L.Matrix, Float64Array])),
      ),
      { numRuns: 30 },
    );
  });
});
