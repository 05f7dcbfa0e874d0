import { describe, expect, test } from 'vitest';
import { fromRows, key } from '@descent/linalg';
import {
  anemone, batchStatistics, bernoulliNode, categoricalNode, compile, emptyStatistics, fullBatchEm, gaussianNode, hclt,
  indicatorNode, logConditional, logLikelihood, mapQuery, meanLogLikelihood, miniBatchEm, mutualInformation, nodeFlows,
  parseDebd, posteriors, productNode, sampleConditional, sumNode, train,
} from '@descent/circuits';
import { thrownError } from '@descent/linalg/laws';

const mix = compile({ numVars: 2, nodes: [bernoulliNode(0, 0.3), categoricalNode(1, [0.2, 0.3, 0.5]), productNode([0, 1])] });

describe('bad structures', () => {
  test('non-smooth sum names the node and the variable', () => {
    const e = thrownError(() => compile({ numVars: 2, nodes: [bernoulliNode(0, 0.5), bernoulliNode(1, 0.5), sumNode([0, 1], [0.5, 0.5])] }));
    expect(e.code).toBe('INVALID_CONFIG');
    expect(e.message).toMatch(/node 2 \(sum\).*not smooth/);
  });
  test('non-decomposable product names the node and the shared variable', () => {
    const e = thrownError(() => compile({ numVars: 1, nodes: [bernoulliNode(0, 0.5), bernoulliNode(0, 0.2), productNode([0, 1])] }));
    expect(e.code).toBe('INVALID_CONFIG');
    expect(e.message).toMatch(/node 2 \(product\).*not decomposable.*variable 0/);
  });
  test('children must come first; every node reachable; root covers all variables', () => {
    expect(thrownError(() => compile({ numVars: 1, nodes: [productNode([1]), bernoulliNode(0, 0.5)] })).message).toMatch(/node 0.*earlier node/);
    expect(thrownError(() => compile({ numVars: 1, nodes: [bernoulliNode(0, 0.5), bernoulliNode(0, 0.5)] })).message).toMatch(/node 0.*not reachable/);
    expect(thrownError(() => compile({ numVars: 2, nodes: [bernoulliNode(0, 0.5)] })).message).toMatch(/variable 1/);
    expect(thrownError(() => compile({ numVars: 1, nodes: [gaussianNode(0, 0, 1), bernoulliNode(0, 0.5), sumNode([0, 1], [0.5, 0.5])] })).message).toMatch(/mixes real/);
  });
  test('weights count must match children', () => {
    expect(thrownError(() => compile({ numVars: 1, nodes: [bernoulliNode(0, 0.5), sumNode([0], [0.5, 0.5])] })).code).toBe('SHAPE_MISMATCH');
  });
});

describe('parameters off the simplex name the node', () => {
  test('sum weights', () => {
    const e = thrownError(() => compile({ numVars: 1, nodes: [bernoulliNode(0, 0.5), bernoulliNode(0, 0.1), sumNode([0, 1], [0.5, 0.6])] }));
    expect(e.code).toBe('DOMAIN');
    expect(e.message).toMatch(/node 2 \(sum\).*sum to 1.1/);
    expect(thrownError(() => compile({ numVars: 1, nodes: [bernoulliNode(0, 0.5), bernoulliNode(0, 0.1), sumNode([0, 1], [1.5, -0.5])] })).message).toMatch(/negative/);
  });
  test('Bernoulli, categorical, Gaussian, NaN', () => {
    expect(thrownError(() => compile({ numVars: 1, nodes: [bernoulliNode(0, 1.2)] })).message).toMatch(/node 0 \(bernoulli\)/);
    expect(thrownError(() => compile({ numVars: 1, nodes: [categoricalNode(0, [0.2, 0.2])] })).message).toMatch(/node 0 \(categorical\)/);
    expect(thrownError(() => compile({ numVars: 1, nodes: [gaussianNode(0, 0, 0.001, 0.01)] })).message).toMatch(/minSigma/);
    expect(thrownError(() => compile({ numVars: 1, nodes: [bernoulliNode(0, NaN)] })).code).toBe('NON_FINITE');
  });
  test('a parameter array passed to a query is checked too', () => {
    const bad = Float64Array.from(mix.params);
    bad[mix.paramPtr[mix.compiledOf[1]!]!] = 0.9;
    expect(thrownError(() => logLikelihood(mix, bad, fromRows([[0, 1]]))).message).toMatch(/node 1 \(categorical\)/);
    expect(thrownError(() => logLikelihood(mix, new Float64Array(2), fromRows([[0, 1]]))).code).toBe('SHAPE_MISMATCH');
  });
});

describe('bad data names row and column', () => {
  test('value outside the domain', () => {
    const e = thrownError(() => logLikelihood(mix, mix.params, fromRows([[0, 1], [1, 3]])));
    expect(e.code).toBe('DOMAIN');
    expect(e.message).toMatch(/row 1, column 1/);
    expect(thrownError(() => logLikelihood(mix, mix.params, fromRows([[0.5, 1]]))).message).toMatch(/row 0, column 0/);
    expect(thrownError(() => logLikelihood(mix, mix.params, { rows: 1, cols: 2, data: new Float64Array([NaN, 1]) })).code).toBe('NON_FINITE');
  });
  test('missing entries are not checked', () => {
    expect(logLikelihood(mix, mix.params, fromRows([[7, 1]]), { missing: new Uint8Array([1, 0]) })[0]).toBeCloseTo(Math.log(0.3), 14);
  });
  test('wrong widths', () => {
    expect(thrownError(() => logLikelihood(mix, mix.params, fromRows([[0, 1, 0]]))).message).toMatch(/3 columns.*2 variables/);
    expect(thrownError(() => logLikelihood(mix, mix.params, fromRows([[0, 1]]), { missing: new Uint8Array(3) })).code).toBe('SHAPE_MISMATCH');
  });
  test('structure learners and the DEBD parser reject non-binary data', () => {
    expect(thrownError(() => mutualInformation(fromRows([[0, 2]]))).message).toMatch(/row 0, column 1/);
    expect(thrownError(() => hclt(fromRows([[0, 1], [1, 0.5]]), { K: 2 })).message).toMatch(/row 1, column 1/);
    expect(thrownError(() => parseDebd('0,1\n1,2\n')).message).toMatch(/line 2, column 1/);
    expect(thrownError(() => parseDebd('0,1\n1\n')).code).toBe('SHAPE_MISMATCH');
  });
});

describe('bad learner input', () => {
  const c = compile({ numVars: 1, nodes: [bernoulliNode(0, 0.5), indicatorNode(0, 1), sumNode([0, 1], [0.5, 0.5])] });
  test('configs', () => {
    expect(thrownError(() => anemone.init({ circuit: c, stepSize: 0 }, c.params)).code).toBe('INVALID_CONFIG');
    expect(thrownError(() => anemone.init({ circuit: c, momentum: 1 }, c.params)).code).toBe('INVALID_CONFIG');
    expect(thrownError(() => miniBatchEm.init({ circuit: c, stepSize: 1.5 }, c.params)).code).toBe('INVALID_CONFIG');
    expect(thrownError(() => fullBatchEm.init({ circuit: c, stepSize: 0.5 }, c.params)).code).toBe('INVALID_CONFIG');
    expect(thrownError(() => fullBatchEm.init({ circuit: c, pseudocount: -1 }, c.params)).code).toBe('INVALID_CONFIG');
    expect(thrownError(() => train(c, c.params, fromRows([[1]]), { optimizer: { kind: 'nope' } as never, epochs: 1 })).code).toBe('INVALID_CONFIG');
  });
  test('statistics: empty batch, wrong shape, NaN; the state is untouched', () => {
    const s = anemone.init({ circuit: c }, c.params);
    const before = Float64Array.from(s.x);
    expect(thrownError(() => anemone.step(s, emptyStatistics(c))).code).toBe('DOMAIN');
    const st = batchStatistics(c, c.params, fromRows([[1]]));
    expect(thrownError(() => anemone.step(s, { ...st, edgeFlows: new Float64Array(1) })).code).toBe('SHAPE_MISMATCH');
    expect(thrownError(() => anemone.step(s, { ...st, leafStats: new Float64Array([NaN, 1]) })).code).toBe('NON_FINITE');
    expect(Array.from(s.x)).toEqual(Array.from(before));
    expect(thrownError(() => batchStatistics(c, c.params, fromRows([[1]]), { weights: new Float64Array([-1]) })).code).toBe('DOMAIN');
  });
});

describe('empty data is rejected by every query and learner', () => {
  const c = compile({ numVars: 1, nodes: [bernoulliNode(0, 0.2), bernoulliNode(0, 0.9), sumNode([0, 1], [0.5, 0.5])] });
  const empty = { rows: 0, cols: 1, data: new Float64Array(0) };
  const one = fromRows([[1]]);
  const calls: [string, (check: boolean) => unknown][] = [
    ['logLikelihood', (check) => logLikelihood(c, c.params, empty, { check })],
    ['meanLogLikelihood', (check) => meanLogLikelihood(c, c.params, empty, { check })],
    ['logConditional', (check) => logConditional(c, c.params, empty, new Uint8Array([1]), { check })],
    ['posteriors', (check) => posteriors(c, c.params, empty, { check })],
    ['nodeFlows', (check) => nodeFlows(c, c.params, empty, { check })],
    ['mapQuery', (check) => mapQuery(c, c.params, empty, { check })],
    ['sampleConditional', (check) => sampleConditional(c, c.params, key(0), empty, new Uint8Array(0), { check })],
    ['batchStatistics', (check) => batchStatistics(c, c.params, empty, { check })],
    ['batchStatistics', (check) => batchStatistics(c, c.params, one, { rows: new Int32Array(0), check })],
  ];
  test.each(calls.flatMap(([name, f]) => [[name, f, true], [name, f, false]] as const))('%s (check %s)', (name, f, check) => {
    const e = thrownError(() => f(check));
    expect(e.code).toBe('SHAPE_MISMATCH');
    expect(e.message).toMatch(new RegExp(`^${name}.*empty`));
  });
  test('train rejects empty training, validation and test sets, and windows that never update', () => {
    const opt = { optimizer: { kind: 'anemone' } as const, epochs: 1 };
    expect(thrownError(() => train(c, c.params, empty, opt)).message).toMatch(/^train.*empty/);
    expect(thrownError(() => train(c, c.params, one, { ...opt, valid: empty })).message).toMatch(/^train: valid.*empty/);
    expect(thrownError(() => train(c, c.params, one, { ...opt, test: empty })).message).toMatch(/^train: test.*empty/);
    const e = thrownError(() => train(c, c.params, fromRows([[1], [0], [1]]), { ...opt, batchSize: 2, itersPerUpdate: 3 }));
    expect(e.code).toBe('INVALID_CONFIG');
    expect(e.message).toMatch(/^train.*itersPerUpdate = 3 exceeds the 2 mini-batches/);
    expect(thrownError(() => train(c, c.params, one, { ...opt, batchSize: 0 })).message).toMatch(/^train.*batchSize/);
  });
  test('the learners reject statistics of an empty batch, naming themselves', () => {
    const steps: [string, () => unknown][] = [
      ['anemone', () => anemone.step(anemone.init({ circuit: c }, c.params), emptyStatistics(c))],
      ['fullBatchEm', () => fullBatchEm.step(fullBatchEm.init({ circuit: c }, c.params), emptyStatistics(c))],
      ['miniBatchEm', () => miniBatchEm.step(miniBatchEm.init({ circuit: c, stepSize: 0.5 }, c.params), emptyStatistics(c))],
    ];
    for (const [name, f] of steps) {
      const e = thrownError(f);
      expect(e.code).toBe('DOMAIN');
      expect(e.message).toMatch(new RegExp(`^${name}.*empty`));
    }
  });
});

describe('errors name the function that was called', () => {
  test('logConditional and meanLogLikelihood report themselves, not logLikelihood', () => {
    expect(thrownError(() => logConditional(mix, mix.params, fromRows([[0, 5]]), new Uint8Array([1, 0]))).message).toMatch(/^logConditional: row 0, column 1/);
    expect(thrownError(() => meanLogLikelihood(mix, mix.params, fromRows([[0, 5]]))).message).toMatch(/^meanLogLikelihood: row 0, column 1/);
    expect(thrownError(() => meanLogLikelihood(mix, new Float64Array(1), fromRows([[0, 1]]))).message).toMatch(/^meanLogLikelihood/);
  });
});
