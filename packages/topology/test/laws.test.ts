import fc from 'fast-check';
import { describe, test } from 'vitest';
import * as laws from '@descent/topology/laws';

// Each law is a theorem (see its TSDoc); run counts keep the suite fast on two cores.
const SEED = 20260101;
const run = (p: fc.IProperty<unknown[]> | fc.IPropertyWithHooks<unknown[]>, numRuns: number) => fc.assert(p as fc.IProperty<unknown[]>, { numRuns, seed: SEED });

describe('Rips laws (spec §7)', () => {
  test('L1 H0 = MST', () => run(laws.h0EqualsMst(), 100));
  test('L2 permutation invariance', () => run(laws.permutationInvariance(), 60));
  test('L3 isometry invariance', () => run(laws.isometryInvariance(), 60));
  test('L4 scaling', () => run(laws.scalingCovariance(), 60));
  test('L5 stability (distances)', () => run(laws.stabilityDistances(), 60));
  test('L6 stability (points)', () => run(laws.stabilityPoints(), 60));
  test('L7 subsampling', () => run(laws.subsampleBound(), 60));
  test('L8 threshold truncation', () => run(laws.thresholdTruncation(), 60));
  test('L9 dimension independence', () => run(laws.dimensionIndependence(), 40));
  test('L10 enclosing radius', () => run(laws.enclosingRadiusLaw(), 60));
  test('L11 Euler–Poincaré', () => run(laws.eulerCharacteristic(), 60));
  test('L12 known shapes (noisy circle, two blobs)', () => run(laws.knownShapes(), 20));
  test('L21 coefficient field (RP²)', () => run(laws.coefficientField(), 20));
});

describe('diagram laws', () => {
  test('L13 bottleneck is a metric', () => run(laws.bottleneckIsMetric(), 200));
  test('L14 Wasserstein laws', () => run(laws.wassersteinLaws(), 150));
  test('L15 entropy', () => run(laws.entropyLaws(), 150));
});

describe('sublevel laws', () => {
  test('L16 sublevel stability', () => run(laws.sublevelStability(), 80));
  test('L17 shift and scale', () => run(laws.sublevelShiftScale(), 80));
  test('L18 merge heights', () => run(laws.mergeHeightUltrametric(), 100));
});

describe('path laws', () => {
  test('L19 barriers', () => run(laws.barrierLaws(), 100));
  test('L20 homotopy test', () => run(laws.homotopyLaws(), 15));
});
