import { expect, test } from 'vitest';
import { thrownCode } from '@descent/linalg/laws';
import { trainSparseParity } from '../src/experiments/sparse-parity.js';

const cfg = { n: 20, k: 3, hidden: 200, target: 0.9, maxEpochs: 10 };

test('sparse parity: EGD reaches 90% within 10 epochs where SGD is still near chance (seed 0)', () => {
  const e = trainSparseParity({ ...cfg, method: 'egd' }, 0);
  const s = trainSparseParity({ ...cfg, method: 'sgd' }, 0);
  expect(e.epochs).not.toBeNull();
  expect(e.epochs!).toBeLessThanOrEqual(10);
  expect(s.epochs).toBeNull();
  // Chance is 0.5; with 2000 test points its standard error is 0.011, so < 0.6 means no learning yet.
  expect(s.finalTestAccuracy).toBeLessThan(0.6);
});

test('sparse parity runs are deterministic and reject a bad k', () => {
  const a = trainSparseParity({ ...cfg, method: 'egd', maxEpochs: 2, target: 1.1 }, 3);
  const b = trainSparseParity({ ...cfg, method: 'egd', maxEpochs: 2, target: 1.1 }, 3);
  expect(a.curve).toEqual(b.curve);
  expect(thrownCode(() => trainSparseParity({ ...cfg, k: 21, method: 'sgd' }, 0))).toBe('INVALID_CONFIG');
});
