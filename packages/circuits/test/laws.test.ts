import fc from 'fast-check';
import { describe, test } from 'vitest';
import * as L from '@descent/circuits/laws';

// Each law draws random small circuits of every family (mixtures, HCLT, RAT-SPN both product modes,
// Chow–Liu with indicators, categorical and Gaussian mixtures) with random parameters and data.
const runs = { numRuns: 200, seed: 20260 };

describe('laws of @descent/circuits', () => {
  test('normalization', () => fc.assert(L.lawNormalization(), runs));
  test('marginals vs brute force', () => fc.assert(L.lawMarginals(), runs));
  test('conditionals (one backward pass) vs brute force', () => fc.assert(L.lawConditionals(), runs));
  test('flow identities', () => fc.assert(L.lawFlowIdentities(L.arbitraryCircuitCase({ maxVars: 4, maxRows: 4 })), { numRuns: 40, seed: 7 }));
  test('MAP bounds', () => fc.assert(L.lawMapBounds(), runs));
  test('conditional samples keep evidence', () => fc.assert(L.lawConditionalSamplesKeepEvidence(), runs));
  test('simplex after every update', () => fc.assert(L.lawSimplexAfterUpdate(), { numRuns: 150, seed: 3 }));
  test('full-batch EM monotone', () => fc.assert(L.lawFullBatchEmMonotone(), runs));
  test('batch monotonicity of anemone and mini-batch EM', () => fc.assert(L.lawBatchMonotone(), runs));
  test('anemone(η=1) equals EM', () => fc.assert(L.lawAnemoneEtaOneIsEm(), runs));
  test('root rate', () => fc.assert(L.lawRootRate(), runs));
  test('unvisited nodes unchanged', () => fc.assert(L.lawUnvisitedUnchanged(), runs));
  test("momentum's first step", () => fc.assert(L.lawMomentumFirstStep(), runs));
  test('softening is soft evidence (enumeration)', () => fc.assert(L.lawSofteningIsSoftEvidence(), { numRuns: 100, seed: 5 }));
  test('entropy regularisation: plain at 0, regularised M-step at τ > 0', () => fc.assert(L.lawEntropyRegularization(), runs));
  test('dense-block engine equals the reference engine', () => fc.assert(L.lawEngineMatchesReference(), runs));
});
