// npm run rates [-- --iterations K --replications R --exponents rate|code]: the convergence-rate experiment
// on the Gaussian mean–DRM portfolio. Prints MSE ‖w_k − w*‖² at log-spaced k for the QF-form, DM-form and
// hybrid, the fitted log-log slopes next to the paper's O(k^-2/3) and O(k^-4/7), and the sample-average baseline.
import { formatRateExperiment, portfolioRateExperiment } from '../src/index.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const t0 = performance.now();
const result = portfolioRateExperiment({
  iterations: Number(arg('iterations') ?? 100000),
  replications: Number(arg('replications') ?? 20),
  exponents: (arg('exponents') ?? 'rate') as 'rate' | 'code',
});
console.log(formatRateExperiment(result));
console.log(`(${((performance.now() - t0) / 1000).toFixed(1)} s)`);
