import { readFileSync } from 'node:fs';
import { DescentError } from '@descent/linalg';
import type { Dataset } from './classifier.js';

let cached: Dataset | undefined;

/**
 * The 8×8 handwritten digits (1797 images of the UCI optdigits test set, see data/README.md): inputs
 * are the 64 pixel counts scaled to [0, 1] (count/16), labels 0–9. Read once and cached.
 */
export function loadDigits(): Dataset {
  if (cached) return cached;
  const text = readFileSync(new URL('../../data/digits.txt', import.meta.url), 'utf8');
  const lines = text.split('\n').filter((l) => l.length > 0);
  const n = lines.length;
  const x = new Float64Array(n * 64);
  const y = new Int32Array(n);
  for (const [i, line] of lines.entries()) {
    if (line.length !== 65) throw new DescentError('SHAPE_MISMATCH', 'loadDigits', `line ${i + 1} has ${line.length} characters, expected 65`);
    for (let j = 0; j < 64; j++) {
      const v = parseInt(line[j]!, 17);
      if (!(v >= 0 && v <= 16)) throw new DescentError('DOMAIN', 'loadDigits', `line ${i + 1}: pixel ${j} is '${line[j]}'`);
      x[i * 64 + j] = v / 16;
    }
    y[i] = Number(line[64]);
  }
  cached = { n, dim: 64, classes: 10, x, y };
  return cached;
}

/** The rows `idx` of `d` as a new data set. */
export function subset(d: Dataset, idx: ArrayLike<number>): Dataset {
  const n = idx.length;
  const x = new Float64Array(n * d.dim);
  const y = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const i = idx[r]!;
    x.set(d.x.subarray(i * d.dim, (i + 1) * d.dim), r * d.dim);
    y[r] = d.y[i]!;
  }
  return { n, dim: d.dim, classes: d.classes, x, y };
}
