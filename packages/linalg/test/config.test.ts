import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { assertKnownKeys, closestKey, configKeys, DescentError, editDistance } from '@descent/linalg';
import { unknownKeyProblem, thrownError } from '@descent/linalg/laws';

describe('assertKnownKeys', () => {
  const known = ['lr', 'momentum', 'dampening', 'nesterov', 'weightDecay', 'decoupled', 'maximize', 'check'];

  test('names the function, the unknown key and the closest known one', () => {
    const e = thrownError(() => assertKnownKeys({ lr: 0.1, momentun: 0.9 }, known, 'sgd.init'));
    expect(e.code).toBe('INVALID_CONFIG');
    expect(e.where).toBe('sgd.init');
    expect(e.message).toContain('`momentun`');
    expect(e.message).toContain('did you mean `momentum`?');
    expect(thrownError(() => assertKnownKeys({ weight_decay: 0.1 }, known, 'adamw.init')).message).toContain('did you mean `weightDecay`?');
  });

  test('accepts every subset of the known keys, rejects anything with one unknown key', () => {
    fc.assert(
      fc.property(fc.subarray(known), fc.string({ minLength: 1, maxLength: 12 }), (keys, extra) => {
        const cfg = Object.fromEntries(keys.map((k) => [k, 1]));
        assertKnownKeys(cfg, known, 'f');
        if (known.includes(extra)) return true;
        const e = thrownError(() => assertKnownKeys({ ...cfg, [extra]: 1 }, known, 'f'));
        return e.code === 'INVALID_CONFIG' && e.message.includes(`\`${extra}\``);
      }),
      { numRuns: 200 },
    );
  });

  test('rejects configs that are not plain objects', () => {
    for (const bad of [null, undefined, 3, 'lr', [], new Float64Array(1), () => 1, new Map(), new Date(0)]) {
      expect(thrownError(() => assertKnownKeys(bad, known, 'f')).code).toBe('INVALID_CONFIG');
    }
    assertKnownKeys(Object.create(null), known, 'f');
  });
});

describe('editDistance / closestKey', () => {
  test('is a metric that counts an adjacent transposition as one edit', () => {
    const s = fc.string({ maxLength: 8 });
    fc.assert(
      fc.property(s, s, s, (a, b, c) => {
        const ab = editDistance(a, b);
        return (
          ab === editDistance(b, a) &&
          (ab === 0) === (a === b) &&
          ab <= Math.max(a.length, b.length) &&
          ab >= Math.abs(a.length - b.length) &&
          // OSA is not a full metric, but the triangle inequality holds when b is one edit from c.
          (editDistance(b, c) !== 1 || editDistance(a, c) <= ab + 1)
        );
      }),
      { numRuns: 300 },
    );
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  test('a one-edit typo of a known key finds that key when the keys are three or more edits apart', () => {
    const known = ['lr', 'momentum', 'betas', 'epsilon', 'weightDecay', 'amsgrad'];
    for (const a of known) for (const b of known) if (a !== b) expect(editDistance(a, b)).toBeGreaterThanOrEqual(3);
    fc.assert(
      fc.property(fc.constantFrom(...known), fc.nat(), fc.constantFrom('sub', 'del', 'ins', 'swap'), (k, at, op) => {
        const i = at % k.length;
        const typo =
          op === 'sub' ? k.slice(0, i) + '#' + k.slice(i + 1)
          : op === 'del' ? k.slice(0, i) + k.slice(i + 1)
          : op === 'ins' ? k.slice(0, i) + '#' + k.slice(i)
          : i + 1 < k.length ? k.slice(0, i) + k[i + 1] + k[i] + k.slice(i + 2) : k + '#';
        return closestKey(typo, known) === k;
      }),
      { numRuns: 300 },
    );
    expect(closestKey('x', [])).toBeUndefined();
  });
});

describe('configKeys', () => {
  test('lists exactly the keys of the type (checked by the compiler)', () => {
    interface Cfg {
      lr: number;
      momentum?: number;
    }
    expect(configKeys<Cfg>()('lr', 'momentum')).toEqual(['lr', 'momentum']);
    // @ts-expect-error a missing key does not compile
    configKeys<Cfg>()('lr');
    // @ts-expect-error an unknown key does not compile
    configKeys<Cfg>()('lr', 'momentum', 'momentun');
  });
});

describe('unknownKeyProblem (the strict-config check the packages’ tests share)', () => {
  const known = ['lr', 'momentum'];
  const init = (cfg: object) => assertKnownKeys(cfg, known, 'sgd.init');
  test('passes a proper rejection and names every way a rejection can fall short', () => {
    expect(unknownKeyProblem(() => init({ momentun: 0.9 }), 'sgd.init', 'momentun', 'momentum')).toBeUndefined();
    expect(unknownKeyProblem(() => init({ momentun: 0.9 }), 'sgd.init', 'momentun')).toBeUndefined();
    expect(unknownKeyProblem(() => init({ lr: 1 }), 'sgd.init', 'lr')).toBe('sgd.init accepted the unknown key `lr`');
    expect(unknownKeyProblem(() => init({ momentun: 0.9 }), 'adam.init', 'momentun')).toMatch(/^expected INVALID_CONFIG from adam.init, got INVALID_CONFIG from sgd.init/);
    expect(unknownKeyProblem(() => init({ momentun: 0.9 }), 'sgd.init', 'momentum')).toMatch(/does not name `momentum`/);
    expect(unknownKeyProblem(() => init({ momentun: 0.9 }), 'sgd.init', 'momentun', 'lr')).toMatch(/does not say "did you mean `lr`\?"/);
    expect(unknownKeyProblem(() => { throw new DescentError('INVALID_CONFIG', 'sgd.init', 'unknown config key `zz`'); }, 'sgd.init', 'zz')).toMatch(/does not say "did you mean"/);
    expect(unknownKeyProblem(() => { throw new DescentError('NON_FINITE', 'sgd.init', '`x`'); }, 'sgd.init', 'x')).toMatch(/^expected INVALID_CONFIG/);
    expect(unknownKeyProblem(() => { throw new TypeError('boom'); }, 'sgd.init', 'x')).toBe('sgd.init threw TypeError: boom instead of a DescentError');
  });
});
