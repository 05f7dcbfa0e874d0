// Loaded before every test file of every workspace (vitest.shared.ts). fast-check draws a fresh seed
// per run by default, so a law that fails only for rare inputs would fail CI at random: pin the seed so
// that every run of the suite checks the same cases. FC_SEED=<integer> picks another seed and
// FC_SEED=random restores fresh seeds, to explore (fast-check prints the seed and path of a
// counterexample; keep it as a regression case before fixing).
import fc from 'fast-check';

const DEFAULT_SEED = 20261207;
const env = process.env.FC_SEED;
if (env !== 'random') {
  const seed = env === undefined || env === '' ? DEFAULT_SEED : Number(env);
  if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer or 'random', got '${env}'`);
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
}
