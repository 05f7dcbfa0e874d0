// Compiles assembly/level2.ts into src/kernels/level2-wasm-bytes.ts (see scripts/assemblyscript-kernel.mjs
// at the repository root); `--check` only compares.
import { fileURLToPath } from 'node:url';
import { kernelBuild } from '../../../scripts/assemblyscript-kernel.mjs';

const build = kernelBuild({
  root: fileURLToPath(new URL('..', import.meta.url)),
  source: 'assembly/level2.ts',
  bytesFile: 'src/kernels/level2-wasm-bytes.ts',
  test: 'test/level2-kernels.test.ts',
  name: 'LEVEL2_WASM_BASE64',
  description: 'The WebAssembly level-2 kernels of the reductions',
});
export const { fresh } = build;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await build.main(process.argv);
