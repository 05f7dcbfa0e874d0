import { readFileSync } from 'node:fs';
import type { Matrix } from '@descent/linalg';

/** Loads a JSON fixture from test/fixtures, turning {rows, cols, data} objects into Matrix values. */
export function loadFixture<T>(name: string): T {
  const text = readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
  return JSON.parse(text, (_k, v) => {
    if (v && typeof v === 'object' && Array.isArray(v.data) && typeof v.rows === 'number' && typeof v.cols === 'number') {
      return { rows: v.rows, cols: v.cols, data: Float64Array.from(v.data) } satisfies Matrix;
    }
    return v;
  }) as T;
}
