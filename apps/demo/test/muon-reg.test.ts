import { describe, expect, test } from 'vitest';
import { fineTuneDefaults, lossAtMovement, lossJump, pretrainAndFineTune, type FineTuneConfig, type FineTuneCurve } from '../src/experiments/muon-reg.js';

// Task B moves the teacher's hidden layer; after only 150 pretraining steps of this narrow student a
// shift of 0.5 can leave task B's loss below task A's, so the small setup shifts by 1.
const small: FineTuneConfig = { ...fineTuneDefaults, hidden: [24, 24, 24], pretrainSteps: 150, fineTuneSteps: 20, evalSize: 64, batch: 32, fineTuneLrFactors: [1 / 3], shift: 1 };

describe('loss jump', () => {
  test('is the peak rise over the start, negative when the loss only fell', () => {
    expect(lossJump([1, 1.5, 0.8, 1.2])).toBeCloseTo(0.5, 15);
    expect(lossJump([1, 0.9, 0.7])).toBeCloseTo(-0.1, 15);
  });
});

describe('loss at matched weight movement', () => {
  test('interpolates linearly in log movement and clamps outside the measured range', () => {
    const c = (movement: number, last: number): FineTuneCurve => ({ method: 'Muon', lrFactor: movement, movement, lossA: [], lossB: [9, last] });
    const curves = [c(1, 2), c(4, 1), c(16, 0.5)];
    expect(lossAtMovement(curves, 'Muon', 2)).toBeCloseTo(1.5, 12);
    expect(lossAtMovement(curves, 'Muon', 8)).toBeCloseTo(0.75, 12);
    expect(lossAtMovement(curves, 'Muon', 0.5)).toBe(2);
    expect(lossAtMovement(curves, 'Muon', 100)).toBe(0.5);
  });
});

describe('pretrain, then fine-tune', () => {
  const run = pretrainAndFineTune(small, 7);

  test('pretraining learns task A (loss well below chance, log 8 ≈ 2.08), and task B starts worse', () => {
    expect(run.pretrainedLossA).toBeLessThan(1.5);
    expect(run.pretrainedLossB).toBeGreaterThan(run.pretrainedLossA);
  });

  test('every method starts from the pretrained model, records every step, and lowers the task-B loss', () => {
    expect(run.curves.map((c) => c.method)).toEqual(['AdamW', 'Muon', 'REG']);
    for (const c of run.curves) {
      expect(c.lossB).toHaveLength(small.fineTuneSteps + 1);
      expect(c.lossB[0]).toBe(run.pretrainedLossB);
      expect(c.lossA[0]).toEqual({ step: 0, loss: run.pretrainedLossA });
      expect(c.lossA[c.lossA.length - 1]!.step).toBe(small.fineTuneSteps);
      expect(c.lossB[small.fineTuneSteps]).toBeLessThan(c.lossB[0]!);
    }
    for (const c of run.curves) expect(c.movement).toBeGreaterThan(0);
    // The methods differ (Muon and REG act on the hidden matrices differently from AdamW).
    const last = run.curves.map((c) => c.lossB[small.fineTuneSteps]!);
    expect(new Set(last).size).toBe(3);
  });

  test('is deterministic in the seed', () => {
    expect(pretrainAndFineTune(small, 7)).toEqual(run);
  });

  test('with learning rate 0 nothing moves: zero jump and zero forgetting for all three', () => {
    const frozen = pretrainAndFineTune({ ...small, pretrainSteps: 20, lr: 0 }, 3);
    for (const c of frozen.curves) {
      expect(lossJump(c.lossB)).toBe(0);
      expect(c.lossA[c.lossA.length - 1]!.loss).toBe(c.lossA[0]!.loss);
      expect(c.movement).toBe(0);
    }
  });
});
