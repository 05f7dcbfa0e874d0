// Compiles assembly/rips.ts into src/internal/rips-wasm-bytes.ts (see scripts/assemblyscript-kernel.mjs
// at the repository root); `--check` only compares.
import { fileURLToPath } from 'node:url';
import { kernelBuild } from '../../../scripts/assemblyscript-kernel.mjs';

const build = kernelBuild({
  root: fileURLToPath(new URL('..', import.meta.url)),
  source: 'assembly/rips.ts',
  bytesFile: 'src/internal/rips-wasm-bytes.ts',
  test: 'test/rips-wasm.test.ts',
  name: 'RIPS_WASM_BASE64',
  description: 'The WebAssembly Rips kernel',
});
export const { fresh } = build;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await build.main(process.argv);
