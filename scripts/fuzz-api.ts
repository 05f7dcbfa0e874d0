// A fuzz of a package's public API, one bad argument at a time. Each exported function has a row in
// a table of valid calls (data: a factory of fresh arguments). Around that valid call, every argument
// position in turn, and every field of an object argument, is replaced by bad values (null, undefined,
// NaN, ±Infinity, 1e308, -1, 1.5, huge sizes, wrong types, empty and mismatched arrays, matrices whose
// shape lies about their data) plus doubles drawn by fast-check from a fixed seed. Every call must
// return or throw a DescentError; no argument may change unless the row names it as an output, and
// a rejected call must leave even its outputs untouched (validate first, then write).
//
// This module runs inside a worker (scripts/fuzz-run.ts) that reports before and after every call,
// so a call that never returns is caught by the parent's watchdog and named, without a wall-time
// assertion on the run as a whole.
import fc from 'fast-check';

/** One row of a fuzz table: how to make a valid call of a function. */
export interface FuzzRow {
  /** Fresh valid arguments (called once per fuzzed call, so calls never share inputs). */
  args: () => unknown[];
  /** Argument positions the function writes by design (outputs and in-place buffers). */
  writes?: readonly number[];
  /** Argument positions not to fuzz (callbacks, say), with the reason in a comment at the row. */
  fixed?: readonly number[];
  /**
   * Why bare TypeErrors/RangeErrors of this function are still tolerated (type checks pending in code
   * another change owns). They are counted in `report.pending`, not failed; hangs, mutations and a
   * failing valid call still fail.
   */
  pending?: string;
  /**
   * The outputs (`writes`) may hold partial results when the call rejects with `NON_FINITE`: an
   * overflow is found by doing the arithmetic (a method's `stepInto` documents `out` as unspecified
   * then). Every other rejection must still come before anything is written.
   */
  overflowWrites?: boolean;
  /**
   * The function to call, for a row that names no export: a method or function made by an exported
   * factory (`gradientDescent(f).step`, `sam(sgd).init`), fuzzed like the exports.
   */
  call?: (...args: never[]) => unknown;
}

/** A package's table: each exported function's valid call, or a string saying why it is not fuzzed. */
export type FuzzTable = Readonly<Record<string, FuzzRow | string>>;

/** What went wrong in one call. */
export interface FuzzFailure {
  fn: string;
  /** Which argument (and field) was bad, and the bad value. */
  site: string;
  problem: string;
}

/** The outcome of fuzzing one module. */
export interface FuzzReport {
  calls: number;
  rejected: number;
  failures: FuzzFailure[];
  /** Exported functions with no row. */
  missing: string[];
  /** Rows that name no exported function. */
  stale: string[];
  /** Functions skipped, with the reason given in the table. */
  skipped: Record<string, string>;
  /** Tolerated non-DescentError rejections per pending function. */
  pending: Record<string, number>;
}

/** A matrix-shaped object whose rows × cols does not match its data. */
const liar = () => ({ rows: 1e9, cols: 1e9, data: new Float64Array(4) });

/** The bad values put in place of an argument (fresh each time: some are mutable). */
export function badValues(): { label: string; value: unknown }[] {
  const fixed: [string, unknown][] = [
    ['null', null],
    ['undefined', undefined],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
    ['1e308', 1e308],
    ['-1', -1],
    ['1.5', 1.5],
    ['1e9', 1e9],
    ['2^53', 2 ** 53],
    ["'x'", 'x'],
    ['true', true],
    ['{}', {}],
    ['[]', []],
    ['[NaN, 1]', [NaN, 1]],
    ['Float64Array(0)', new Float64Array(0)],
    ['Float64Array [NaN, Infinity, 1e308]', new Float64Array([NaN, Infinity, 1e308])],
    ['Float32Array(3)', new Float32Array(3)],
    ['a lying matrix 1e9×1e9 with 4 entries', liar()],
    ['a function', () => NaN],
  ];
  return fixed.map(([label, value]) => ({ label, value }));
}

/** A few field-level bad values for object arguments (each field replaced in turn, or removed). */
function badFieldValues(): { label: string; value: unknown }[] {
  return [
    { label: 'null', value: null },
    { label: 'NaN', value: NaN },
    { label: 'Infinity', value: Infinity },
    { label: '-1', value: -1 },
    { label: '1e308', value: 1e308 },
    { label: '1.5', value: 1.5 },
    { label: "'x'", value: 'x' },
    { label: 'Float64Array(0)', value: new Float64Array(0) },
  ];
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !ArrayBuffer.isView(v) && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** A deep copy for the mutation check (typed arrays copied, functions kept by identity). */
function snapshot(v: unknown, depth = 0): unknown {
  if (depth > 6) return v;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return { __typed: v.constructor.name, values: Array.from(v as unknown as ArrayLike<number>) };
  if (Array.isArray(v)) return v.map((x) => snapshot(x, depth + 1));
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = snapshot((v as Record<string, unknown>)[k], depth + 1);
    return out;
  }
  return v;
}

function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** The variants of one valid argument list: one bad argument or one bad field at a time. */
function variants(row: FuzzRow, rng: { doubles: number[] }): { site: string; make: () => unknown[] }[] {
  const base = row.args();
  const out: { site: string; make: () => unknown[] }[] = [];
  const fixed = new Set(row.fixed ?? []);
  // One more position than the row has, for a stray extra argument.
  for (let i = 0; i <= base.length && i < base.length + 1; i++) {
    if (fixed.has(i)) continue;
    const values = [...badValues().map((b) => b.label), ...rng.doubles.map((d) => `fc double ${d}`)];
    values.forEach((label, k) => {
      out.push({
        site: `argument ${i} = ${label}`,
        make: () => {
          const a = row.args();
          const bad = badValues();
          a[i] = k < bad.length ? bad[k]!.value : rng.doubles[k - bad.length];
          return a;
        },
      });
    });
    const arg = base[i];
    // Fields of object arguments: each replaced by a bad value, or removed.
    if (arg !== null && typeof arg === 'object' && !ArrayBuffer.isView(arg) && !Array.isArray(arg)) {
      for (const key of Object.keys(arg)) {
        out.push({
          site: `argument ${i} without .${key}`,
          make: () => {
            const a = row.args();
            const o = { ...(a[i] as Record<string, unknown>) };
            delete o[key];
            a[i] = o;
            return a;
          },
        });
        badFieldValues().forEach((b, k) => {
          out.push({
            site: `argument ${i}.${key} = ${b.label}`,
            make: () => {
              const a = row.args();
              a[i] = { ...(a[i] as Record<string, unknown>), [key]: badFieldValues()[k]!.value };
              return a;
            },
          });
        });
      }
    }
  }
  return out;
}

/** Hooks the worker uses to tell the parent which call is running. */
export interface FuzzHooks {
  before(fn: string, site: string): void;
  after(): void;
  failure(f: FuzzFailure): void;
}

/**
 * The callable entries of `mod`: its exported functions by name and, with `members`, the function
 * members of its exported plain objects as `object.member` (a method's `sgd.init`, `sgd.step`, …),
 * called with the object as `this`.
 */
export function callables(mod: Record<string, unknown>, members = false): Map<string, (...a: unknown[]) => unknown> {
  const out = new Map<string, (...a: unknown[]) => unknown>();
  for (const k of Object.keys(mod)) {
    const v = mod[k];
    if (typeof v === 'function') out.set(k, v as (...a: unknown[]) => unknown);
    else if (members && isPlainObject(v)) {
      for (const m of Object.keys(v)) {
        const f = v[m];
        if (typeof f === 'function') out.set(`${k}.${m}`, (...a: unknown[]) => (f as (...b: unknown[]) => unknown).apply(v, a));
      }
    }
  }
  return out;
}

/** Fuzzes every function exported by `mod` against `table` (with `members`, methods of exported objects too). */
export function fuzzModule(mod: Record<string, unknown>, table: FuzzTable, hooks: FuzzHooks, options: { seed?: number; doubles?: number; skip?: readonly string[]; members?: boolean } = {}): FuzzReport {
  const report: FuzzReport = { calls: 0, rejected: 0, failures: [], missing: [], stale: [], skipped: {}, pending: {} };
  const fail = (f: FuzzFailure) => {
    report.failures.push(f);
    hooks.failure(f);
  };
  const doubles = fc.sample(fc.double(), { seed: options.seed ?? 19, numRuns: options.doubles ?? 4 });
  const entries = callables(mod, options.members ?? false);
  const made = Object.keys(table).filter((k) => !entries.has(k) && typeof table[k] === 'object' && typeof (table[k] as FuzzRow).call === 'function');
  const functions = [...entries.keys(), ...made].sort();
  report.stale = Object.keys(table).filter((k) => !entries.has(k) && !made.includes(k));
  for (const name of functions) {
    const row = table[name];
    if (row === undefined) {
      report.missing.push(name);
      continue;
    }
    // Functions already fuzzed by a worker that hung in the last of them (see fuzz-run.ts).
    if (options.skip !== undefined && options.skip.length > 0 && name <= options.skip[options.skip.length - 1]!) continue;
    if (typeof row === 'string') {
      report.skipped[name] = row;
      continue;
    }
    const fn = entries.get(name) ?? ((row.call as (...a: unknown[]) => unknown | undefined)!);
    const run = (site: string, args: unknown[], valid: boolean) => {
      const writes = new Set(row.writes ?? []);
      const before = args.map((a) => snapshot(a));
      report.calls++;
      hooks.before(name, site);
      let threw: unknown;
      let ok = true;
      let overflowed = false;
      try {
        fn(...args);
      } catch (e) {
        ok = false;
        threw = e;
      }
      hooks.after();
      if (!ok) {
        const isDescent = threw instanceof Error && threw.name === 'DescentError' && typeof (threw as { code?: unknown }).code === 'string';
        if (valid) fail({ fn: name, site, problem: `the valid call of the table throws: ${String(threw)}` });
        else if (!isDescent && row.pending !== undefined) report.pending[name] = (report.pending[name] ?? 0) + 1;
        else if (!isDescent) fail({ fn: name, site, problem: `rejected with ${threw instanceof Error ? `${threw.name}: ${threw.message}` : String(threw)}, not a DescentError` });
        else report.rejected++;
        overflowed = isDescent && (threw as { code?: unknown }).code === 'NON_FINITE' && row.overflowWrites === true;
      }
      args.forEach((a, i) => {
        // Outputs may change when the call succeeds; a rejected call must leave everything as it was.
        if ((ok || overflowed) && writes.has(i)) return;
        if (!same(before[i], snapshot(a))) fail({ fn: name, site, problem: `argument ${i} was mutated${ok ? '' : ' by a call that was then rejected'}` });
      });
    };
    run('the valid call', row.args(), true);
    for (const v of variants(row, { doubles })) run(v.site, v.make(), false);
  }
  return report;
}
