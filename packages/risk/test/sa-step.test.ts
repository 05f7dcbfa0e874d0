import { describe, expect, test } from 'vitest';
import { drmSA, expectedShortfall, mixture, simplexSet, valueAtRisk, wangTransform, type Distortion, type DrmSaState, type SaForm, type TailRule } from '@descent/risk';
import { readFileSync } from 'node:fs';

type Case = {
  form: SaForm;
  distortion: string;
  tailRule: TailRule;
  M: number;
  k: number;
  scale: number;
  schedules: DrmSaState['schedules'];
  theta: number[];
  q: number[];
  qbar: number[];
  qNode: number[];
  D: number[];
  x: number[];
  psi: number[];
  after: { theta: number[]; q: number[]; qbar: number[]; qNode: number[]; D: number[]; grad: number[] };
};
const cases: Case[] = JSON.parse(readFileSync(new URL('./fixtures/risk_sa_step.json', import.meta.url), 'utf8'));
const distortions: Record<string, Distortion> = {
  'cvar0.6': expectedShortfall(0.6),
  'wang0.5': wangTransform(0.5),
  mix: mixture([expectedShortfall(0.6), valueAtRisk(0.45)], [0.5, 0.5]),
};

describe('one SA step vs an independent NumPy implementation of the recursions (scripts/fixtures/risk_sa_step.py)', () => {
  test.each(cases.map((c) => [`${c.form} ${c.distortion} tail=${c.tailRule}`, c] as const))('%s', (_, c) => {
    const s0 = drmSA.init({ form: c.form, distortion: distortions[c.distortion]!, M: c.M, tailRule: c.tailRule, schedules: c.schedules, projection: simplexSet() }, Float64Array.from(c.theta));
    // A mid-run state: plain data, so it can be written down directly.
    const x = Float64Array.from(c.theta);
    const state: DrmSaState = {
      ...s0,
      x,
      query: x,
      phase: 'run',
      k: c.k,
      t: c.k + 1,
      scale: c.scale,
      q: Float64Array.from(c.q),
      qbar: Float64Array.from(c.qbar),
      qNode: Float64Array.from(c.qNode),
      D: Float64Array.from(c.D),
    };
    expect(state.qNode.length).toBe(s0.qNode.length);
    const next = drmSA.step(state, { x: Float64Array.from(c.x), psi: Float64Array.from(c.psi) });
    // Same formulas, different summation order (prefix sums vs NumPy means): agreement to 1e−12 relative.
    const close = (ours: Float64Array, theirs: number[]) => {
      expect(ours.length).toBe(theirs.length);
      ours.forEach((v, i) => expect(Math.abs(v - theirs[i]!)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(theirs[i]!))));
    };
    close(next.grad, c.after.grad);
    close(next.x, c.after.theta);
    close(next.q, c.after.q);
    close(next.qbar, c.after.qbar);
    close(next.qNode, c.after.qNode);
    close(next.D, c.after.D);
    expect(next.k).toBe(c.k + 1);
  });
});
