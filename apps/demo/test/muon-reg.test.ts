import { describe, expect, test } from 'vitest';
import { fineTuneDefaults, lossJump, muonRegChecks, pretrainAndFineTune, type FineTuneConfig } from '../src/experiments/muon-reg.js';

const small: FineTuneConfig = { ...fineTuneDefaults, hidden: [24, 24, 24], pretrainSteps: 150, fineTuneSteps: 20, evalSize: 64, batch: 32 };

describe('loss jump', () => {
  test('is the peak rise over the start, negative when the loss only fell', () => {
    expect(lossJump([1, 1.5, 0.8, 1.2])).toBeCloseTo(0.5, 15);
    expect(lossJump([1, 0.9, 0.7])).toBeCloseTo(-0.1, 15);
  });
});

describe('checks', () => {
  test('a jump counts only when the loss rose; forgetting compares directly', () => {
    const forget = { AdamW: 0.4, Muon: 0.3, REG: 0.5 };
    // The measured pattern: every loss fell (negative jumps), Muon least; Muon forgets least.
    expect(muonRegChecks({ AdamW: -0.07, Muon: -0.03, REG: -0.04 }, forget)).toEqual([false, false, false, false]);
    // A real rise for Muon only, and more forgetting than both.
    expect(muonRegChecks({ AdamW: -0.07, Muon: 0.2, REG: 0.01 }, { AdamW: 0.1, Muon: 0.6, REG: 0.2 })).toEqual([true, true, true, true]);
    expect(muonRegChecks({ AdamW: 0.3, Muon: 0.2, REG: 0.01 }, forget)).toEqual([true, false, false, false]);
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
    }
  });
});
