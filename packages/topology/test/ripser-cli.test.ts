import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { parseRipserArgs, parseRipserInput, ripserOutput, ripsPersistence } from '@descent/topology';
import { formatG } from '../src/internal/format-g.js';
import { fixture } from './helpers.js';
import { thrownCode } from '@descent/linalg/laws';

interface CliCase {
  name: string;
  args: string[];
  /** Text formats. */
  input?: string;
  /** Binary formats: the file's bytes. */
  inputBase64?: string;
  stdout: string;
}

const cases = fixture<CliCase[]>('topology_ripser_cli.json');
const bytesOf = (c: CliCase): Uint8Array => new Uint8Array(Buffer.from(c.inputBase64!, 'base64'));
const inputOf = (c: CliCase): string | Uint8Array => (c.inputBase64 !== undefined ? bytesOf(c) : c.input!);

describe('ripserOutput is byte-identical to the ripser 1.2.1 CLI', () => {
  for (const c of cases) {
    test(`${c.name}: ripser ${c.args.join(' ')}`, () => {
      const { options, file, help } = parseRipserArgs(c.args);
      expect(file).toBeUndefined();
      expect(help).toBe(false);
      expect(ripserOutput(inputOf(c), options)).toBe(c.stdout);
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
      writeFileSync(file, a.input!);
      const viaFile = spawnSync(process.execPath, [bin, ...a.args, file], { encoding: 'utf8' });
      expect(viaFile.status).toBe(0);
      expect(viaFile.stdout).toBe(a.stdout);
      const b = cases.find((x) => x.name === 'sparse')!;
      const viaStdin = spawnSync(process.execPath, [bin, ...b.args], { encoding: 'utf8', input: b.input });
      expect(viaStdin.stdout).toBe(b.stdout);
      // binary formats read the file's bytes; text formats read one character per byte
      for (const name of ['binary-one-value-short', 'dipha']) {
        const c = cases.find((x) => x.name === name)!;
        const bfile = join(dir, `${name}.bin`);
        writeFileSync(bfile, bytesOf(c));
        const run = spawnSync(process.execPath, [bin, ...c.args, bfile], { encoding: 'utf8' });
        expect(run.status).toBe(0);
        expect(run.stdout).toBe(c.stdout);
      }
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

  test('binary and DIPHA files hold the same lower triangle as the text formats', () => {
    const f32 = fc.float({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true }).map((v) => Math.fround(v) + 0);
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 9 }).chain((n) => fc.tuple(fc.constant(n), fc.array(f32, { minLength: (n * (n - 1)) / 2, maxLength: (n * (n - 1)) / 2 }), fc.array(f32, { minLength: n * n, maxLength: n * n }))),
        ([n, lower, junk]) => {
          const text = parseRipserInput(lower.join(' '), 'lower-distance');
          // binary: little-endian float32, written byte by byte so the test does not depend on the host
          const bin = new Uint8Array(4 * lower.length);
          const bv = new DataView(bin.buffer);
          lower.forEach((v, k) => bv.setFloat32(4 * k, v, true));
          expect(parseRipserInput(bin, 'binary')).toEqual(text);
          // one value short: ripser's reader supplies a final 0 (n = 2: the empty file is one point)
          const short = parseRipserInput(bin.subarray(0, bin.length - 4), 'binary');
          if (n > 2) expect(short).toEqual({ kind: 'lower', n, data: Float64Array.from(lower, (v, k) => (k === lower.length - 1 ? 0 : v)) });
          else expect(short).toEqual({ kind: 'lower', n: 1, data: new Float64Array(0) });
          // trailing partial bytes are ignored
          expect(parseRipserInput(Uint8Array.of(...bin, 7, 7), 'binary')).toEqual(text);
          // DIPHA: header, then n·n float64 of which only i > j is read (the rest is junk here)
          const dip = new Uint8Array(24 + 8 * n * n);
          const dv = new DataView(dip.buffer);
          dv.setBigInt64(0, 8067171840n, true);
          dv.setBigInt64(8, 7n, true);
          dv.setBigInt64(16, BigInt(n), true);
          for (let i = 0, k = 0; i < n; i++) for (let j = 0; j < n; j++) dv.setFloat64(24 + 8 * (i * n + j), j < i ? lower[k++]! : junk[i * n + j]!, true);
          expect(parseRipserInput(dip, 'dipha')).toEqual(text);
          // text formats accept their bytes
          expect(parseRipserInput(new TextEncoder().encode(lower.join(',')), 'lower-distance')).toEqual(text);
        },
      ),
    );
  });

  test('malformed binary and DIPHA files are typed errors', () => {
    // 4 values: neither n(n−1)/2 nor one short of it
    expect(thrownCode(() => parseRipserInput(new Uint8Array(16), 'binary'))).toBe('SHAPE_MISMATCH');
    const header = (magic: bigint, type: bigint, n: bigint, extra: number) => {
      const b = new Uint8Array(24 + extra);
      const v = new DataView(b.buffer);
      v.setBigInt64(0, magic, true);
      v.setBigInt64(8, type, true);
      v.setBigInt64(16, n, true);
      return b;
    };
    expect(thrownCode(() => parseRipserInput(header(1n, 7n, 2n, 32), 'dipha'))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => parseRipserInput(header(8067171840n, 1n, 2n, 32), 'dipha'))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => parseRipserInput(header(8067171840n, 7n, 3n, 32), 'dipha'))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => parseRipserInput(header(8067171840n, 7n, -1n, 32), 'dipha'))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => parseRipserInput(new Uint8Array(3), 'dipha'))).toBe('INVALID_CONFIG');
    expect(parseRipserInput(header(8067171840n, 7n, 2n, 32), 'dipha').n).toBe(2);
  });

  test('text formats skip only C whitespace, like ripser (a no-break space ends the numbers)', () => {
    expect(parseRipserInput('1 2\u00a03\n', 'lower-distance')).toEqual({ kind: 'lower', n: 3, data: new Float64Array([1, 2, 3]) });
    expect(parseRipserInput(Uint8Array.of(0x31, 0x20, 0xa0, 0x32), 'lower-distance')).toEqual({ kind: 'lower', n: 2, data: new Float64Array([1]) });
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
    expect(thrownCode(() => parseRipserInput('1 2\n', 'lower-distance'))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => parseRipserInput('0,0\n1\n', 'point-cloud'))).toBe('SHAPE_MISMATCH');
    expect(thrownCode(() => parseRipserInput('0 x 1\n', 'sparse'))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => parseRipserInput('1', 'dipha'))).toBe('INVALID_CONFIG'); // bytes, not text
    expect(thrownCode(() => parseRipserInput('1', 'nope' as never))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => parseRipserArgs(['--dim', '1.5']))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => parseRipserArgs(['--format', 'bin']))).toBe('INVALID_CONFIG'); // binary and dipha: whole names only
    expect(thrownCode(() => parseRipserArgs(['a', 'b']))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => parseRipserArgs(['--bogus']))).toBe('INVALID_CONFIG');
    expect(thrownCode(() => ripserOutput('1\n', { format: 'lower-distance', dim: -1 }))).toBe('INVALID_CONFIG');
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
    const z3 = ripserOutput(c.input!, { format: 'point-cloud', modulus: 3 });
    expect(z3).toBe(c.stdout); // a circle's barcode has no 2-torsion
  });
});
