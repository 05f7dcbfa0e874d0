import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bottleneck, type Diagram } from '@descent/topology';

/** Reads a JSON fixture written by scripts/fixtures/topology_rips.py. */
export function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8')) as T;
}

/** A reference diagram as stored in JSON ([b, d] with null for +∞). */
export function refDiagram(bars: Array<[number, number | null]>, dim = 0): Diagram {
  return {
    dim,
    birth: Float64Array.from(bars, (b) => b[0]),
    death: Float64Array.from(bars, (b) => (b[1] === null ? Infinity : b[1])),
  };
}

/** Bottleneck distance between our diagram and a reference, and whether the bar counts agree. */
export function compare(ours: Diagram, ref: Array<[number, number | null]>): { count: boolean; db: number } {
  const r = refDiagram(ref, ours.dim);
  return { count: r.birth.length === ours.birth.length, db: bottleneck(ours, r).distance };
}

/** A small deterministic PRNG for test data (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
