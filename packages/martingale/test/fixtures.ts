import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Reads a JSON fixture written by scripts/fixtures/martingale_reference.py ('Infinity' strings → numbers).
export function fixture<T = Record<string, unknown>>(name: string): T {
  const text = readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');
  return JSON.parse(text, (_k, v) => (v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v)) as T;
}

export function relErr(a: number, b: number): number {
  if (a === b) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}
