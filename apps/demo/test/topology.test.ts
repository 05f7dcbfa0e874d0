import { describe, expect, test } from 'vitest';
import { paperReproduction } from '../src/experiments/topology-runs.js';

describe('paper reproduction (spec §12, demo scale) [RECON]', () => {
  test('small configuration runs deterministically and reports every section', () => {
    const cfg = { seeds: 2, steps: 60, slicePoints: 9, homotopyPairs: 1, testSize: 300 };
    const r = paperReproduction(cfg);
    expect(r.runs.length).toBe(4);
    for (const run of r.runs) {
      expect(run.testAccuracy).toBeGreaterThan(0.7);
      expect(run.totalPersistence).toBeGreaterThan(0);
    }
    expect(r.lmc.labels.length).toBe(4);
    expect(r.homotopy.length).toBe(1);
    expect(r.figures.map((f) => f.id)).toEqual(['barriers', 'tp-vs-acc', 'central-vs-acc', 'classes']);
    expect(r.notes[0]).toMatch(/RECONSTRUCTION/);
    const again = paperReproduction(cfg);
    expect(JSON.stringify(again.runs)).toBe(JSON.stringify(r.runs));
  });
});
