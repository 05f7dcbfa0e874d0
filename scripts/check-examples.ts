// Runs every TSDoc `@example` of a package and compares the value of its last expression with the
// `// result` comment that ends the example. Usage: npx tsx scripts/check-examples.ts <package-dir>
// Examples see every export of the package's entry points (and of @descent/linalg, fast-check,
// ndarray and ml-matrix) as globals; `import` lines inside examples are skipped; examples may `await`.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transformSync } from 'esbuild';

/** One example and what running it gave. */
export interface ExampleOutcome {
  file: string;
  expected: string;
  got: string;
  ok: boolean;
}

function show(v: unknown): string {
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    return `${v.constructor.name} [${Array.from(v as unknown as ArrayLike<number>).join(', ')}]`;
  }
  if (typeof v === 'string') return `'${v}'`;
  if (v === undefined) return 'undefined';
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x))?.replace(/,/g, ', ').replace(/:/g, ': ') ?? String(v);
}

const normalise = (s: string) => s.replace(/\s+/g, '').replace(/"/g, "'");

/**
 * Runs the examples of the package in `dir` (its src/ tree); `only` (given the path relative to the
 * package, e.g. `src/rips.ts`) picks a subset, so a package can split its examples over several tests.
 */
export async function checkExamples(dir: string, only?: (file: string) => boolean): Promise<ExampleOutcome[]> {
  const root = resolve(dir);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const scope: Record<string, unknown> = {};
  const load = async (spec: string) => Object.assign(scope, await import(spec));
  await load('@descent/linalg');
  for (const sub of Object.keys(pkg.exports ?? { '.': {} })) {
    const entry = sub === '.' ? 'src/index.ts' : `src/${sub.slice(2)}/index.ts`;
    await load(pathToFileURL(join(root, entry)).href);
  }
  scope.fc = (await import('fast-check')).default;
  // Optional libraries some examples convert to and from.
  try {
    scope.ndarray = (await import('ndarray')).default;
    scope.MlMatrix = (await import('ml-matrix')).Matrix;
  } catch {
    // not installed: examples that use them report it
  }
  const files: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts')) files.push(p);
    }
  };
  walk(join(root, 'src'));
  if (only) files.splice(0, files.length, ...files.filter((f) => only(f.slice(root.length + 1))));
  const outcomes: ExampleOutcome[] = [];
  // Law examples call fc.check: pin the seed so a run is reproducible (restored afterwards).
  const fc = scope.fc as typeof import('fast-check').default;
  const previous = fc.readConfigureGlobal();
  fc.configureGlobal({ ...previous, seed: 20261124 });
  try {
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/@example\n\s*\* ```ts\n((?:\s*\*.*\n)+?)\s*\* ```/g)) {
      const lines = m[1]!.split('\n').filter(Boolean).map((l) => l.replace(/^\s*\* ?/, ''));
      const expected = lines[lines.length - 1]!.replace(/^\/\/\s?/, '');
      const body = lines.slice(0, -1).filter((l) => !l.startsWith('import '));
      const last = (body.pop() ?? '').replace(/\s*\/\/.*$/, '').replace(/;\s*$/, '');
      let got: string;
      try {
        // A block scope lets an example declare a name that is also a global (e.g. `diag`); an async
        // function lets it use `await`.
        const js = transformSync(`{\n${body.join('\n')}\n__result = await (${last});\n}`, { loader: 'ts' }).code;
        const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<unknown>;
        const value = await new AsyncFunction(...Object.keys(scope), `let __result;\n${js}\nreturn __result;`)(...Object.values(scope));
        got = show(value);
      } catch (e) {
        got = `throws ${(e as Error).message}`;
      }
      outcomes.push({ file: f.slice(root.length + 1), expected, got, ok: normalise(got) === normalise(expected) });
    }
  }
  } finally {
    fc.configureGlobal(previous);
  }
  return outcomes;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const outcomes = await checkExamples(process.argv[2] ?? '.');
  const bad = outcomes.filter((o) => !o.ok);
  for (const o of bad) console.log(`${o.file}\n  expected ${o.expected}\n  got      ${o.got}`);
  console.log(`${outcomes.length - bad.length}/${outcomes.length} examples match`);
  process.exit(bad.length === 0 ? 0 : 1);
}
