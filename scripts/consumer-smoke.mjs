// The packages in a user's hands: packs every package, installs the tarballs into a scratch project
// in a temp dir (offline, from the tarballs and the npm cache), then, as a consumer would,
// runs each package README's first example, loads every entry from CommonJS, type-checks a
// TypeScript consumer under moduleResolution nodenext and bundler, bundles each main entry with
// esbuild for the browser, and runs the bundles in headless Chromium when it is installed (else that
// step is skipped with a message). Needs the packages built (dist/). Writes .consumer-smoke-results.json
// (passed/failed/skipped checks), which scripts/test-summary.mjs adds to CI's summary line.
// Usage: node scripts/consumer-smoke.mjs [--keep]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browserProbe, prngDigest } from './consumer-probes.mjs';

const root = new URL('..', import.meta.url).pathname;
const keep = process.argv.includes('--keep');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const packages = readdirSync(join(root, 'packages'))
  .filter((d) => existsSync(join(root, 'packages', d, 'package.json')))
  .map((d) => ({ dir: join(root, 'packages', d), short: d, ...JSON.parse(readFileSync(join(root, 'packages', d, 'package.json'), 'utf8')) }))
  .filter((p) => !p.private);

const results = [];
const started = Date.now();
function check(name, fn) {
  const t0 = Date.now();
  try {
    const note = fn();
    if (note && typeof note === 'object' && note.skipped) {
      results.push({ name, status: 'skipped' });
      console.log(`- skip ${name}: ${note.skipped}`);
    } else {
      results.push({ name, status: 'passed' });
      console.log(`✓ ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)${typeof note === 'string' ? `: ${note}` : ''}`);
    }
  } catch (e) {
    results.push({ name, status: 'failed' });
    const out = [e.stdout, e.stderr].filter(Boolean).map(String).join('\n');
    console.log(`✗ ${name}: ${e.message}\n${out.split('\n').slice(0, 40).join('\n')}`);
  }
}
function run(cmd, args, cwd, options = {}) {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000, ...options });
}

const work = mkdtempSync(join(tmpdir(), 'descent-consumer-'));
const tarballs = join(work, 'tarballs');
const app = join(work, 'app');
mkdirSync(tarballs);
mkdirSync(app);

// 1. Pack (one npm call for all: each call loads the whole workspace). A tarball must hold its
// LICENSE, README, dist and declarations, and nothing from test/.
const packed = {};
check('npm pack every package', () => {
  const infos = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tarballs, ...packages.flatMap((p) => ['-w', p.name])], root));
  for (const info of infos) {
    const files = new Set(info.files.map((f) => f.path));
    for (const need of ['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'dist/index.d.ts']) {
      if (!files.has(need)) throw new Error(`${info.name}: ${need} missing from the tarball`);
    }
    if ([...files].some((f) => f.startsWith('test/'))) throw new Error(`${info.name}: tests are in the tarball`);
    packed[info.name] = join(tarballs, info.filename);
  }
  if (Object.keys(packed).length !== packages.length) throw new Error(`packed ${Object.keys(packed).join(', ')}`);
  return `${packages.length} tarballs`;
});

// The third-party packages the consumer needs (the runtime dependencies, and the optional peers a user
// adds: fast-check for /laws, ndarray and its types for /ndarray, @types/node for a Node consumer),
// with their dependencies as package-lock.json resolves them, packed from node_modules: the install
// then needs no registry at all.
function thirdPartyClosure(names) {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')).packages;
  const seen = new Map();
  const visit = (name, from) => {
    // Node's lookup: the nearest node_modules/<name> above the depending package.
    let at = from;
    for (;;) {
      const path = `${at ? `${at}/` : ''}node_modules/${name}`;
      if (lock[path]) {
        if (seen.has(name)) return;
        seen.set(name, path);
        for (const dep of Object.keys(lock[path].dependencies ?? {})) visit(dep, path);
        return;
      }
      if (!at) throw new Error(`${name} is not in package-lock.json`);
      const i = at.lastIndexOf('/node_modules/');
      at = i < 0 ? '' : at.slice(0, i);
    }
  };
  for (const n of names) visit(n, '');
  return [...seen.values()];
}

// 2. Install into a scratch project, offline: only tarballs.
const installed = () => existsSync(join(app, 'node_modules', '@descent', 'linalg', 'package.json'));
check('install the tarballs offline into a scratch project', () => {
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'descent-consumer', private: true, type: 'module' }, null, 2));
  const runtime = packages.flatMap((p) => Object.keys(p.dependencies ?? {})).filter((d) => !d.startsWith('@descent/'));
  const dirs = thirdPartyClosure([...new Set([...runtime, 'fast-check', 'ndarray', '@types/ndarray', '@types/node'])]);
  const third = join(work, 'third-party');
  mkdirSync(third);
  const infos = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', third, ...dirs.map((d) => `./${d}`)], root));
  const extra = infos.map((i) => join(third, i.filename));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', ...Object.values(packed), ...extra], app, { timeout: 180_000 });
  if (!installed()) throw new Error('@descent/linalg is not in node_modules');
  return `${Object.keys(packed).length} packages and ${extra.length} third-party tarballs`;
});

// 3. Each README's first example, as the user would paste it (TypeScript stripped by esbuild).
const readmeExample = (p) => {
  const text = readFileSync(join(p.dir, 'README.md'), 'utf8');
  const m = /```ts\n([\s\S]*?)```/.exec(text);
  if (!m) throw new Error(`${p.name}: README has no ts example`);
  return m[1];
};
for (const p of packages) {
  check(`README example runs: ${p.name}`, () => {
    if (!installed()) throw new Error('not installed');
    const dir = join(app, 'readme', p.short);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(app, `readme-${p.short}.ts`), readmeExample(p));
    run(bin('esbuild'), [`readme-${p.short}.ts`, '--format=esm', '--platform=node', `--outfile=readme/${p.short}/example.mjs`, '--log-level=error'], app);
    // Run inside its own directory: examples may write files (a PNG).
    run(process.execPath, ['example.mjs'], dir, { timeout: 180_000 });
  });
}

// 4. CommonJS: require(esm) of every entry point (Node >= 20.19).
check('CommonJS require() of every entry point', () => {
  if (!installed()) throw new Error('not installed');
  const lines = [];
  for (const p of packages) {
    for (const sub of Object.keys(p.exports)) {
      const spec = sub === '.' ? p.name : `${p.name}/${sub.slice(2)}`;
      lines.push(`{ const m = require(${JSON.stringify(spec)}); if (Object.keys(m).length === 0) throw new Error('${spec}: no exports'); }`);
    }
  }
  lines.push(`const { key, normal } = require('@descent/linalg'); console.log(normal(key(0), 2).length);`);
  writeFileSync(join(app, 'consumer.cjs'), lines.join('\n'));
  const out = run(process.execPath, ['consumer.cjs'], app);
  if (out.trim() !== '2') throw new Error(`unexpected output ${out}`);
});

// 5. TypeScript consumers: every entry point and the README examples, under nodenext and bundler.
check('TypeScript consumer type-checks (nodenext and bundler)', () => {
  if (!installed()) throw new Error('not installed');
  const ts = join(app, 'ts');
  mkdirSync(ts, { recursive: true });
  const imports = [];
  let n = 0;
  for (const p of packages) {
    for (const sub of Object.keys(p.exports)) {
      const spec = sub === '.' ? p.name : `${p.name}/${sub.slice(2)}`;
      imports.push(`import * as m${n} from '${spec}';\nexport const k${n++}: number = Object.keys(m${n - 1}).length;`);
    }
  }
  imports.push(
    `import { key, normal, svd, fromRows, type Matrix } from '@descent/linalg';`,
    `import { toNdarray } from '@descent/linalg/ndarray';`,
    `const a: Matrix = fromRows([[1, 2], [3, 4]]);`,
    `export const s: Float64Array = svd(a).s;`,
    `export const z: Float64Array = normal(key(0), 3);`,
    `export const shape: number[] = toNdarray(a).shape;`,
  );
  writeFileSync(join(ts, 'consumer.ts'), imports.join('\n') + '\n');
  for (const p of packages) writeFileSync(join(ts, `readme-${p.short}.ts`), 'export {};\n' + readmeExample(p));
  // skipLibCheck off: our declarations must type-check too. The Node consumer (with @types/node) also
  // checks the README examples; the bundler consumer has no Node types at all, as in a browser app,
  // so a declaration that needs them fails here.
  const base = { strict: true, target: 'ES2022', lib: ['ES2022', 'DOM'], noEmit: true, skipLibCheck: false };
  const configs = {
    'tsconfig.nodenext.json': [{ ...base, module: 'nodenext', moduleResolution: 'nodenext', types: ['node'] }, ['*.ts']],
    'tsconfig.bundler.json': [{ ...base, module: 'esnext', moduleResolution: 'bundler', types: [] }, ['consumer.ts']],
  };
  for (const [file, [compilerOptions, include]] of Object.entries(configs)) {
    writeFileSync(join(ts, file), JSON.stringify({ compilerOptions, include }, null, 2));
    run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', file], ts, { timeout: 180_000 });
  }
});

// 6. Browser bundles of every main entry (no node: imports), then run in headless Chromium.
const bundles = join(app, 'browser');
mkdirSync(bundles, { recursive: true });
check('esbuild --platform=browser bundles every main entry', () => {
  if (!installed()) throw new Error('not installed');
  for (const p of packages) {
    writeFileSync(join(bundles, `entry-${p.short}.mjs`), `export * from '${p.name}';\n`);
    run(bin('esbuild'), [`entry-${p.short}.mjs`, '--bundle', '--platform=browser', '--format=esm', `--outfile=${p.short}.esm.js`, '--log-level=error'], bundles);
  }
  // One classic script for the page (file:// pages cannot load module scripts).
  writeFileSync(join(bundles, 'page.mjs'), `${browserProbe}\nrunProbe().then((r) => { document.body.textContent = JSON.stringify(r); }, (e) => { document.body.textContent = JSON.stringify({ error: String(e && e.stack || e) }); });\n`);
  run(bin('esbuild'), ['page.mjs', '--bundle', '--platform=browser', '--format=iife', '--outfile=page.js', '--log-level=error'], bundles);
  writeFileSync(join(bundles, 'index.html'), '<!doctype html><html><body>pending</body><script src="page.js"></script></html>\n');
});

const chromium = ['chromium', 'chromium-browser', 'google-chrome'].map((c) => spawnSync('sh', ['-c', `command -v ${c}`], { encoding: 'utf8' }).stdout.trim()).find(Boolean);
check('the browser bundle runs in headless Chromium, PRNG streams equal to Node', () => {
  if (!chromium) return { skipped: 'no chromium on PATH (apt-get install -y chromium to run it)' };
  if (!existsSync(join(bundles, 'page.js'))) throw new Error('no bundle');
  const profile = join(work, 'chromium-profile');
  const r = spawnSync(
    chromium,
    ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
      `--user-data-dir=${profile}`, '--dump-dom', `file://${join(bundles, 'index.html')}`],
    { encoding: 'utf8', timeout: 120_000 },
  );
  const m = /<body>([\s\S]*?)<\/body>/.exec(r.stdout ?? '');
  if (!m) throw new Error(`no page from chromium (status ${r.status}): ${(r.stderr ?? '').split('\n').slice(-5).join('\n')}`);
  const text = m[1].replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  let got;
  try {
    got = JSON.parse(text);
  } catch {
    throw new Error(`page says: ${text.slice(0, 500)}`);
  }
  if (got.error) throw new Error(`page threw: ${got.error}`);
  const failedProbes = Object.entries(got.probes).filter(([, v]) => v !== true);
  if (failedProbes.length) throw new Error(`probes failed in Chromium: ${JSON.stringify(failedProbes)}`);
  const node = JSON.parse(run(process.execPath, ['-e', `import('@descent/linalg').then((l) => { ${prngDigest}; console.log(JSON.stringify(prngDigests(l))); })`], app));
  const differ = Object.keys(node).filter((k) => node[k] !== got.prng[k]);
  if (differ.length) throw new Error(`PRNG streams differ between Node and Chromium: ${differ.join(', ')}`);
  return `${Object.keys(got.probes).length} package probes, ${Object.keys(node).length} PRNG streams bit-identical to Node`;
});

const count = (s) => results.filter((r) => r.status === s).length;
const report = { numPassedTests: count('passed'), numFailedTests: count('failed'), numPendingTests: count('skipped'), checks: results };
writeFileSync(join(root, '.consumer-smoke-results.json'), JSON.stringify(report, null, 2) + '\n');
console.log(`consumer smoke: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests} skipped in ${((Date.now() - started) / 1000).toFixed(0)} s`);
if (keep) console.log(`scratch project kept in ${work}`);
else rmSync(work, { recursive: true, force: true });
process.exit(report.numFailedTests > 0 ? 1 : 0);
