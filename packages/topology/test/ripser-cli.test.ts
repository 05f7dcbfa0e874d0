import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { isDescentError } from '@descent/linalg';
import { parseRipserArgs, parseRipserInput, ripserOutput, ripsPersistence } from '@descent/topology';
import { formatG } from '../src/internal/format-g.js';
import { fixture } from './helpers.js';

interface CliCase {
  name: string;
  args: string[];
  input: string;
  stdout: string;
}

const cases = fixture<CliCase[]>('topology_ripser_cli.json');

describe('ripserOutput is byte-identical to the ripser 1.2.1 CLI', () => {
  for (const c of cases) {
    test(`${c.name}: ripser ${c.args.join(' ')}`, () => {
      const { options, file, help } = parseRipserArgs(c.args);
      expect(file).toBeUndefined();
      expect(help).toBe(false);
      expect(ripserOutput(c.input, options)).toBe(c.stdout);
    });
  }
});

describe('descent-ripser (the built bin)', () => {
  // The test task runs after the build (turbo), so dist/cli.js is this source's build.
  const bin = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
  test('reads a file or stdin and prints what ripser prints', () => {
    expect(existsSync(bin)).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'descent-ripser-'));
    try {
      const a = cases.find((x) => x.name === 'points-3d-dim2')!;
      const file = join(dir, 'a.txt');
      writeFileSync(file, a.input);
      const viaFile = spawnSync(process.execPath, [bin, ...a.args, file], { encoding: 'utf8' });
      expect(viaFile.status).toBe(0);
      expect(viaFile.stdout).toBe(a.stdout);
      const b = cases.find((x) => x.name === 'sparse')!;
      const viaStdin = spawnSync(process.execPath, [bin, ...b.args], { encoding: 'utf8', input: b.input });
      expect(viaStdin.stdout).toBe(b.stdout);
      const missing = spawnSync(process.execPath, [bin, '--dim', '2', join(dir, 'absent.txt')], { encoding: 'utf8' });
      expect(missing.status).toBe(255);
      expect(missing.stderr).toContain("couldn't open file");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parsers', () => {
  test('lower, upper and full matrices describe the same distances', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 9 }), fc.integer({ min: 0, max: 1000 }), (n, seed) => {
        const D = (i: number, j: number) => (i === j ? 0 : ((Math.min(i, j) * 31 + Math.max(i, j) * 17 + seed) % 97) / 8);
        const rows = (f: (i: number) => number[]) => Array.from({ length: n }, (_, i) => f(i).join(' ')).join('\n');
        const lower = rows((i) => Array.from({ length: i }, (_, j) => D(i, j)));
        const upper = rows((i) => Array.from({ length: n - 1 - i }, (_, k) => D(i, i + 1 + k)));
        const full = rows((i) => Array.from({ length: n }, (_, j) => D(i, j)));
        const a = parseRipserInput(lower, 'lower-distance');
        const b = parseRipserInput(upper, 'upper-distance');
        const c = parseRipserInput(full, 'distance');
        return a.n === n && JSON.stringify([a, b]) === JSON.stringify([b, c]) && JSON.stringify(a) === JSON.stringify(c);
      }),
    );
  });

  test('a point cloud file gives the same diagrams as the points', () => {
    const x = parseRipserInput('0, 0\n1,0\n\n1 1\n0,1\n', 'point-cloud');
    expect(x).toEqual({ kind: 'points', n: 4, d: 2, data: new Float64Array([0, 0, 1, 0, 1, 1, 0, 1]) });
    expect(Array.from(ripsPersistence(x).diagrams[1]!.death)).toEqual([Math.SQRT2]);
  });

  test('sparse triplets: self-loops ignored, n = largest vertex + 1', () => {
    const g = parseRipserInput('0 1 1.5\n2 2 0\n3 1 2\n', 'sparse');
    expect(g.kind).toBe('graph');
    expect(g.n).toBe(4);
    if (g.kind === 'graph') expect(Array.from(g.w)).toEqual([1.5, 2]);
  });

  test('bad input and bad flags are typed errors', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return isDescentError(e) ? e.code : String(e);
      }
      return 'no error';
    };
    expect(code(() => parseRipserInput('1 2\n', 'lower-distance'))).toBe('SHAPE_MISMATCH');
    expect(code(() => parseRipserInput('0,0\n1\n', 'point-cloud'))).toBe('SHAPE_MISMATCH');
    expect(code(() => parseRipserInput('0 x 1\n', 'sparse'))).toBe('INVALID_CONFIG');
    expect(code(() => parseRipserInput('1', 'dipha' as never))).toBe('INVALID_CONFIG');
    expect(code(() => parseRipserArgs(['--dim', '1.5']))).toBe('INVALID_CONFIG');
    expect(code(() => parseRipserArgs(['--format', 'binary']))).toBe('INVALID_CONFIG');
    expect(code(() => parseRipserArgs(['a', 'b']))).toBe('INVALID_CONFIG');
    expect(code(() => parseRipserArgs(['--bogus']))).toBe('INVALID_CONFIG');
    expect(code(() => ripserOutput('1\n', { format: 'lower-distance', dim: -1 }))).toBe('INVALID_CONFIG');
    expect(parseRipserArgs(['--modulus', '3', '--ratio', '1.5', '--threshold', '2', '--format', 'upper'])).toEqual({
      options: { modulus: 3, ratio: 1.5, threshold: 2, format: 'upper-distance' },
      help: false,
    });
  });

  test('%g formatting: ties round half to even on the exact value, like glibc', () => {
    expect(formatG(100000.5)).toBe('100000');
    expect(formatG(100001.5)).toBe('100002');
    expect(formatG(1234565)).toBe('1.23456e+06');
    expect(formatG(1e-5)).toBe('1e-05');
    expect(formatG(0.0001)).toBe('0.0001');
    expect(formatG(Math.fround(1.41421356))).toBe('1.41421');
    expect(formatG(Infinity)).toBe('inf');
    expect(formatG(123456)).toBe('123456');
    expect(formatG(999999.5)).toBe('1e+06');
  });

  test('modulus: Z/3 output has the engine bars (RP²-like ties are covered by the engine fixtures)', () => {
    const c = cases.find((x) => x.name === 'circle')!;
    const z3 = ripserOutput(c.input, { format: 'point-cloud', modulus: 3 });
    expect(z3).toBe(c.stdout); // a circle's barcode has no 2-torsion
  });
});
