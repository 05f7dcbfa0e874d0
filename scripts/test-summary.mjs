// Sums the vitest JSON reports of every workspace into the plain line CI reads: "N passed, N failed".
// A workspace with a test script but no report (its build or its runner failed) counts as one failure,
// unless --ran-only (a filtered run: only the reports present are summed). With --with-smoke the
// consumer smoke test's report (.consumer-smoke-results.json, scripts/consumer-smoke.mjs) is added,
// and its absence is one failure.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const ranOnly = process.argv.includes('--ran-only');
const withSmoke = process.argv.includes('--with-smoke');
let passed = 0;
let failed = 0;
let skipped = 0;
for (const group of ['packages', 'apps', 'tools']) {
  const dir = join(root, group);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir)) {
    const pkgFile = join(dir, name, 'package.json');
    if (!existsSync(pkgFile)) continue;
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
    if (!pkg.scripts?.test) continue;
    const report = join(dir, name, '.vitest-results.json');
    if (!existsSync(report)) {
      if (ranOnly) continue;
      console.error(`no test report for ${group}/${name}`);
      failed += 1;
      continue;
    }
    const r = JSON.parse(readFileSync(report, 'utf8'));
    passed += r.numPassedTests;
    // A file that fails to load has failed suites but no failed tests: count it once.
    failed += r.numFailedTests || (r.numFailedTestSuites ?? 0);
    skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  }
}
if (withSmoke) {
  const report = join(root, '.consumer-smoke-results.json');
  if (!existsSync(report)) {
    console.error('no consumer smoke test report');
    failed += 1;
  } else {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += r.numPendingTests ?? 0;
  }
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
