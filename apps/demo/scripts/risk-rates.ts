// npm run rates -w @descent/demo [-- --iterations K --replications R --exponents rate|code --robust | --only-robust]: the convergence-rate experiment
// on the Gaussian mean–DRM portfolio. Prints MSE ‖w_k − w*‖² at log-spaced k for the QF-form, DM-form and
// hybrid, the fitted log-log slopes next to the paper's O(k^-2/3) and O(k^-4/7), and the sample-average baseline.
import { formatRateExperiment, portfolioRateExperiment, robustPortfolioExperiment } from '../src/experiments/risk-runs.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
if (!process.argv.includes('--only-robust')) {
  const t0 = performance.now();
  const result = portfolioRateExperiment({
    iterations: Number(arg('iterations') ?? 100000),
    replications: Number(arg('replications') ?? 20),
    exponents: (arg('exponents') ?? 'rate') as 'rate' | 'code',
  });
  console.log(formatRateExperiment(result));
  console.log(`(${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}

if (process.argv.includes('--robust') || process.argv.includes('--only-robust')) {
  const t1 = performance.now();
  const K = Number(arg('robust-iterations') ?? 100000);
  const rows = robustPortfolioExperiment({ iterations: K, replications: Number(arg('robust-replications') ?? 3) });
  console.log(`\nPaper's robust portfolio (maximise ρ over mean-0/variance-1 mixtures), K = ${K}:`);
  console.log(['setting', 'form', 'ρ(θ₀)', 'ρ(θ_K) per replication', 'ρ*', '∫(q − q*)²'].join('\t'));
  for (const r of rows) {
    console.log([r.setting, r.form, r.rho0.toFixed(4), r.rhoFinal.map((v) => v.toFixed(4)).join(' '), r.optimum.toFixed(4), r.quantileDistance.map((v) => v.toFixed(4)).join(' ')].join('\t'));
  }
  console.log(`(${((performance.now() - t1) / 1000).toFixed(1)} s)`);
}
