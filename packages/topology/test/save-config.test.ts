import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { closestKey, deserialize, DescentError, key, serialize } from '@descent/linalg';
import {
  barrier, bottleneck, cubicalPersistence, curveFit, deserializeState, diagram, enclosingRadius, estimateRipsSize, filterNormalizedDirection,
  greedySubsample, homotopyTest, linearPathLoss, lmcClasses, lossSlice, lowerStarPersistence, mergeTree, parseRipserArgs, persistenceEntropy,
  persistenceImage, persistenceLandscape, ripserOutput, ripsPersistence, serializeState, silhouette, sublevelPersistence0, totalPersistence,
  wasserstein, type CurveState,
} from '@descent/topology';
import { thrownError } from '@descent/linalg/laws';

const bits = (s: unknown) => JSON.stringify(serialize(s));

describe('save and resume', () => {
  const quad = (x: Float64Array) => Float64Array.from(x, (v, i) => 2 * (v - i));
  test('curveFit: deserializeState(JSON of serializeState(s)) steps bit-identically to s', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 3, max: 5 }), fc.constantFrom('bezier' as const, 'polychain' as const), fc.constantFrom('adam' as const, 'sgd' as const), fc.nat(5), fc.integer({ min: 1, max: 6 }), fc.nat(1000), (D, bends, curve, kind, before, after, seed) => {
        const a = Float64Array.from({ length: D }, (_, i) => Math.sin(seed + i));
        const b = Float64Array.from({ length: D }, (_, i) => Math.cos(seed + 2 * i) + 1);
        const cfg = { a, b, bends, curve, optimizer: { kind, lr: 0.05, momentum: 0.5 } };
        let s: CurveState = curveFit.init(cfg, new Float64Array(0), key(seed));
        for (let k = 0; k < before; k++) s = curveFit.step(s, { grad: quad(s.query) });
        const like = curveFit.init(cfg, new Float64Array(0), key(0));
        let r = deserializeState<CurveState>(curveFit, JSON.parse(JSON.stringify(serializeState(curveFit, s))), { like });
        expect(bits(r)).toBe(bits(s));
        for (let k = 0; k < after; k++) {
          s = curveFit.step(s, { grad: quad(s.query) });
          r = curveFit.step(r, { grad: quad(r.query) });
        }
        return bits(r) === bits(s);
      }),
      { numRuns: 100 },
    );
  });

  test('curveFit refuses a foreign state or one with buffers of the wrong length', () => {
    const cfg = { a: new Float64Array([0, 0]), b: new Float64Array([1, 1]) };
    const s = curveFit.init(cfg, new Float64Array(0), key(1));
    expect(() => deserializeState(curveFit, serialize(s, 'adam'))).toThrow(DescentError);
    expect(() => deserializeState(curveFit, serializeState(curveFit, { ...s, m: new Float64Array(1) }), { like: s })).toThrow(/INVALID_STATE|length/);
  });

  test('result objects (diagrams, persistence results) are plain data: serialize/deserialize keep them bit for bit', () => {
    const r = ripsPersistence({ kind: 'points', n: 5, d: 2, data: new Float64Array([0, 0, 1, 0, 1, 1, 0, 1, 0.5, 0.4]) }, { maxDim: 1, cocycles: true, generators: true, threshold: 5 });
    const back = deserialize<typeof r>(JSON.parse(JSON.stringify(serialize(r, 'rips'))), { kind: 'rips' });
    expect(bits(back)).toBe(bits(r));
    expect(back.diagrams[0]!.death[4]).toBe(Infinity);
    expect(bottleneck(back.diagrams[1]!, r.diagrams[1]!).distance).toBe(0);
  });
});

describe('strict configs', () => {
  const pts = { kind: 'points' as const, n: 4, d: 2, data: new Float64Array([0, 0, 1, 0, 1, 1, 0, 1]) };
  const lower = { kind: 'lower' as const, n: 3, data: new Float64Array([1, 2, 1]) };
  const full = { kind: 'full' as const, n: 2, data: new Float64Array([0, 1, 1, 0]) };
  const graph = { kind: 'graph' as const, n: 3, i: new Int32Array([0, 1]), j: new Int32Array([1, 2]), w: new Float64Array([1, 2]) };
  const grid = { kind: 'grid' as const, shape: [1, 3] as const, connectivity: 8 as const };
  const gdom = { kind: 'graph' as const, n: 3, i: new Int32Array([0, 1]), j: new Int32Array([1, 2]) };
  const f3 = new Float64Array([0, 2, 1]);
  const dg = diagram([[0, 1], [0.5, 2]]);
  const sq = (x: Float64Array) => x.reduce((s, v) => s + v * v, 0);
  const line = [new Float64Array([0, 0]), new Float64Array([1, 0])];
  const cfg = { a: new Float64Array([0]), b: new Float64Array([1]) };
  type O = Record<string, unknown>;

  // Every options or config object of the public API: where the error is reported, the keys it
  // knows (in the order the message lists them) and a call that puts the given object in its place.
  const entries: { where: string; what: string; known: readonly string[]; call: (o: O) => unknown }[] = [
    { where: 'ripsPersistence', what: 'options', known: ['maxDim', 'threshold', 'modulus', 'ratio', 'keepZero', 'cocycles', 'generators', 'float32', 'sparse', 'check', 'onProgress', 'engine'], call: (o) => ripsPersistence(pts, o) },
    { where: 'ripsPersistence', what: 'input', known: ['kind', 'n', 'd', 'data', 'metric'], call: (o) => ripsPersistence({ ...pts, ...o } as never) },
    { where: 'ripsPersistence', what: 'input', known: ['kind', 'n', 'data'], call: (o) => ripsPersistence({ ...lower, ...o } as never) },
    { where: 'ripsPersistence', what: 'input', known: ['kind', 'n', 'data'], call: (o) => ripsPersistence({ ...full, ...o } as never) },
    { where: 'ripsPersistence', what: 'input', known: ['kind', 'n', 'i', 'j', 'w', 'vertexBirth'], call: (o) => ripsPersistence({ ...graph, ...o } as never) },
    { where: 'enclosingRadius', what: 'input', known: ['kind', 'n', 'data'], call: (o) => enclosingRadius({ ...lower, ...o } as never) },
    { where: 'estimateRipsSize', what: 'options', known: ['threshold', 'maxDim'], call: (o) => estimateRipsSize(pts, o) },
    { where: 'estimateRipsSize', what: 'input', known: ['kind', 'n', 'd', 'data', 'metric'], call: (o) => estimateRipsSize({ ...pts, ...o } as never) },
    { where: 'greedySubsample', what: 'options', known: ['start'], call: (o) => greedySubsample(pts, 2, o) },
    { where: 'greedySubsample', what: 'input', known: ['kind', 'n', 'd', 'data', 'metric'], call: (o) => greedySubsample({ ...pts, ...o } as never, 2) },
    { where: 'bottleneck', what: 'options', known: ['matching'], call: (o) => bottleneck(dg, dg, o) },
    { where: 'wasserstein', what: 'options', known: ['q', 'p', 'matching'], call: (o) => wasserstein(dg, dg, o) },
    { where: 'totalPersistence', what: 'options', known: ['power', 'infinite'], call: (o) => totalPersistence(dg, o) },
    { where: 'persistenceEntropy', what: 'options', known: ['normalize', 'infinite'], call: (o) => persistenceEntropy(dg, o) },
    { where: 'persistenceLandscape', what: 'options', known: ['resolution', 'range', 'keepEndpoints', 'scale', 'k'], call: (o) => persistenceLandscape(dg, o) },
    { where: 'silhouette', what: 'options', known: ['resolution', 'range', 'keepEndpoints', 'scale', 'weight', 'power'], call: (o) => silhouette(dg, o) },
    { where: 'persistenceImage', what: 'options', known: ['bandwidth', 'resolution', 'range', 'weight'], call: (o) => persistenceImage(dg, o) },
    { where: 'cubicalPersistence', what: 'options', known: ['periodic'], call: (o) => cubicalPersistence(new Float64Array(4), [2, 2], o) },
    { where: 'sublevelPersistence0', what: 'options', known: ['keepZero'], call: (o) => sublevelPersistence0(f3, grid, o) },
    { where: 'sublevelPersistence0', what: 'domain', known: ['kind', 'shape', 'connectivity'], call: (o) => sublevelPersistence0(f3, { ...grid, ...o } as never) },
    { where: 'sublevelPersistence0', what: 'domain', known: ['kind', 'n', 'i', 'j'], call: (o) => sublevelPersistence0(f3, { ...gdom, ...o } as never) },
    { where: 'mergeTree', what: 'domain', known: ['kind', 'shape', 'connectivity'], call: (o) => mergeTree(f3, { ...grid, ...o } as never) },
    { where: 'lowerStarPersistence', what: 'options', known: ['maxDim', 'modulus'], call: (o) => lowerStarPersistence(f3, grid, o) },
    { where: 'lowerStarPersistence', what: 'domain', known: ['kind', 'n', 'i', 'j'], call: (o) => lowerStarPersistence(f3, { ...gdom, ...o } as never) },
    { where: 'linearPathLoss', what: 'options', known: ['points'], call: (o) => linearPathLoss(sq, line[0]!, line[1]!, o) },
    { where: 'barrier', what: 'options', known: ['reference'], call: (o) => barrier(linearPathLoss(sq, line[0]!, line[1]!), o) },
    { where: 'lmcClasses', what: 'options', known: ['tol', 'points', 'reference'], call: (o) => lmcClasses(line, sq, { tol: 0.1, ...o } as never) },
    { where: 'filterNormalizedDirection', what: 'options', known: ['ignore'], call: (o) => filterNormalizedDirection(new Float64Array(6), [{ name: 'W', shape: [2, 2] }, { name: 'b', shape: [2] }], key(0), o) },
    { where: 'lossSlice', what: 'options', known: ['points', 'range'], call: (o) => lossSlice(sq, new Float64Array(2), new Float64Array([1, 0]), new Float64Array([0, 1]), o) },
    { where: 'homotopyTest', what: 'options', known: ['level', 'tol', 'points', 'steps', 'epsilon', 'tubeSamples', 'tubeRadius', 'key', 'lipschitz'], call: (o) => homotopyTest(line, line, sq, o) },
    { where: 'ripserOutput', what: 'options', known: ['format', 'dim', 'threshold', 'ratio', 'modulus', 'engine'], call: (o) => ripserOutput('0\n1 0\n', o) },
    { where: 'curveFit.init', what: 'config', known: ['a', 'b', 'bends', 'curve', 'optimizer'], call: (o) => curveFit.init({ ...cfg, ...o } as never, new Float64Array(0), key(0)) },
    { where: 'curveFit.init', what: 'optimizer', known: ['kind', 'lr', 'beta1', 'beta2', 'eps', 'momentum'], call: (o) => curveFit.init({ ...cfg, optimizer: { kind: 'adam', ...o } } as never, new Float64Array(0), key(0)) },
  ];

  test('the valid call of every entry succeeds (so a rejection below is the unknown key)', () => {
    for (const e of entries) expect(() => e.call({}), e.where).not.toThrow();
  });

  test('an unknown key is INVALID_CONFIG naming the key, the closest known key and every known key', () => {
    // Keys near the known ones (a typo) and arbitrary names: the closest known key is named either way.
    const typo = fc.tuple(fc.nat(entries.length - 1), fc.nat(), fc.nat(), fc.constantFrom('drop', 'double', 'swap', 'case', 'snake'))
      .map(([i, j, p, how]) => {
        const e = entries[i]!;
        const k = e.known[j % e.known.length]!;
        const at = p % k.length;
        const bad = how === 'drop' ? k.slice(0, at) + k.slice(at + 1)
          : how === 'double' ? k.slice(0, at) + k[at] + k.slice(at)
          : how === 'swap' && at + 1 < k.length ? k.slice(0, at) + k[at + 1] + k[at] + k.slice(at + 2)
          : how === 'case' ? k.toUpperCase()
          : `${k}_x`;
        return { i, bad };
      });
    const arbitrary = fc.tuple(fc.nat(entries.length - 1), fc.string({ minLength: 1, maxLength: 12 })).map(([i, bad]) => ({ i, bad }));
    fc.assert(
      fc.property(fc.oneof(typo, arbitrary), ({ i, bad }) => {
        const e = entries[i]!;
        fc.pre(!e.known.includes(bad) && bad !== '__proto__');
        const err = thrownError(() => e.call({ [bad]: 1 }));
        expect([err.code, err.where], e.where).toEqual(['INVALID_CONFIG', e.where]);
        expect(err.message).toContain(`unknown ${e.what} key \`${bad}\``);
        expect(err.message).toContain(`(did you mean \`${closestKey(bad, e.known)}\`?)`);
        expect(err.message.endsWith(`known keys: ${e.known.join(', ')}`)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  test('typical typos are pointed at the intended key', () => {
    const cases: [number, string, string][] = [
      [0, 'maxdim', 'maxDim'], [0, 'cocycle', 'cocycles'], [0, 'treshold', 'threshold'], [1, 'metic', 'metric'], [4, 'vertexBirths', 'vertexBirth'],
      [11, 'Q', 'q'], [14, 'resolutoin', 'resolution'], [16, 'band_width', 'bandwidth'], [17, 'periodc', 'periodic'], [19, 'conectivity', 'connectivity'],
      [26, 'toll', 'tol'], [29, 'lipshitz', 'lipschitz'], [30, 'dims', 'dim'], [32, 'momentun', 'momentum'], [31, 'optimiser', 'optimizer'],
    ];
    for (const [i, bad, near] of cases) {
      const e = entries[i]!;
      const err = thrownError(() => e.call({ [bad]: 1 }));
      expect([err.code, err.where]).toEqual(['INVALID_CONFIG', e.where]);
      expect(err.message).toContain(`did you mean \`${near}\`?`);
    }
  });

  test('options that are not plain objects are INVALID_CONFIG', () => {
    // lmcClasses' entry spreads its argument into a valid config, so it is not passed as given.
    for (const e of entries.filter((x) => x.what === 'options' && x.where !== 'lmcClasses')) {
      for (const bad of [null, [1], new Float64Array(1), 3]) {
        const err = thrownError(() => e.call(bad as never));
        expect([err.code, err.where]).toEqual(['INVALID_CONFIG', e.where]);
      }
    }
  });

  test('the command line: an unknown flag names the closest one', () => {
    const err = thrownError(() => parseRipserArgs(['--dimm', '2']));
    expect([err.code, err.where]).toEqual(['INVALID_CONFIG', 'parseRipserArgs']);
    expect(err.message).toContain('unknown option --dimm (did you mean `--dim`?)');
    expect(thrownError(() => parseRipserArgs(['--treshold', '1'])).message).toContain('`--threshold`');
  });
});
