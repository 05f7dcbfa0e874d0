import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { unknownKeyProblem } from '@descent/linalg/laws';
import { DescentError, fromRows, key, serialize } from '@descent/linalg';
import {
  adamCircuit, anemone, batchStatistics, chowLiuCircuit, chowLiuTree, compile, deserializeState, epochBatches, fullBatchEm, hclt, miniBatchEm,
  mixtureOfBernoullis, ratSpn, serializeState, train, type CircuitLearner, type CircuitLearnerState,
} from '@descent/circuits';

const bits = (s: unknown) => JSON.stringify(serialize(s));
const circuit = compile(mixtureOfBernoullis(4, 3, { key: key(1) }));
type AnyLearner = CircuitLearner<Record<string, unknown>, CircuitLearnerState>;
const learners: [AnyLearner, Record<string, unknown>][] = [
  [fullBatchEm as never, { circuit, pseudocount: 0.1 }],
  [miniBatchEm as never, { circuit, stepSize: 0.5, pseudocount: 0.1 }],
  [anemone as never, { circuit, stepSize: 0.4, momentum: 0.5 }],
  [adamCircuit as never, { circuit, lr: 0.05 }],
];
const batch = fc.array(fc.array(fc.constantFrom(0, 1), { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 6 });

describe('save and resume', () => {
  for (const [learner, cfg] of learners) {
    test(`${learner.name}: deserializeState(JSON of serializeState(s)) steps bit-identically to s`, () => {
      fc.assert(
        fc.property(fc.array(batch, { maxLength: 4 }), fc.array(batch, { minLength: 1, maxLength: 4 }), (before, after) => {
          const step = (s: CircuitLearnerState, rows: number[][]) => learner.step(s, batchStatistics(circuit, s.query, fromRows(rows)));
          const s0 = learner.init(cfg, circuit.params);
          let s = s0;
          for (const b of before) s = step(s, b);
          let r = deserializeState<CircuitLearnerState>(learner, JSON.parse(JSON.stringify(serializeState(learner, s))), { like: s0 });
          expect(bits(r)).toBe(bits(s));
          for (const b of after) {
            s = step(s, b);
            r = step(r, b);
          }
          return bits(r) === bits(s);
        }),
        { numRuns: 25 },
      );
    });
  }

  test("a learner refuses another learner's state", () => {
    const s = anemone.init({ circuit }, circuit.params);
    expect(() => deserializeState(adamCircuit, serializeState(anemone, s))).toThrow(DescentError);
  });

  test("adamCircuit's state is tagged with its own name, so the optimizers' adam refuses it", () => {
    const s = adamCircuit.init({ circuit }, circuit.params);
    expect(serializeState(adamCircuit, s).kind).toBe('adamCircuit');
    expect(() => deserializeState({ name: 'adam' }, serializeState(adamCircuit, s))).toThrow(/'adamCircuit' state/);
  });
});

describe('strict configs', () => {
  const rejects = (f: () => unknown, where: string, bad: string, near: string) => expect(unknownKeyProblem(f, where, bad, near)).toBeUndefined();

  test('every learner init rejects an unknown key', () => {
    for (const [learner, cfg] of learners) {
      learner.init(cfg, circuit.params);
      rejects(() => learner.init({ ...cfg, chek: true }, circuit.params), `${learner.name}.init`, 'chek', 'check');
      expect(() => learner.init(null as never, circuit.params)).toThrow(DescentError);
    }
  });

  test('every options object of the package rejects an unknown key', () => {
    const data = fromRows([[0, 1, 0, 1], [1, 1, 0, 0], [0, 0, 1, 1]]);
    rejects(() => train(circuit, circuit.params, data, { optimizer: { kind: 'adam', lr: 0.1 }, epochs: 1, batchsize: 2 } as never), 'train', 'batchsize', 'batchSize');
    rejects(() => train(circuit, circuit.params, data, { optimizer: { kind: 'anemone', momentun: 0.9 }, epochs: 1 } as never), 'train', 'momentun', 'momentum');
    rejects(() => ratSpn(4, { K: 2, depth: 1, repetition: 1 } as never), 'ratSpn', 'repetition', 'repetitions');
    rejects(() => hclt(data, { K: 2, mialpha: 0.1 } as never), 'hclt', 'mialpha', 'miAlpha');
    rejects(() => chowLiuTree(data, { alfa: 0.1 } as never), 'chowLiuTree', 'alfa', 'alpha');
    rejects(() => chowLiuCircuit(data, { alfa: 0.1 } as never), 'chowLiuCircuit', 'alfa', 'alpha');
    rejects(() => mixtureOfBernoullis(2, 2, { keys: key(0) } as never), 'mixtureOfBernoullis', 'keys', 'key');
    rejects(() => epochBatches(4, 2, null, { droplast: true } as never), 'epochBatches', 'droplast', 'dropLast');
  });
});
