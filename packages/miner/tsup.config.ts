import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

export default defineConfig([
  // The model worker's entry is built beside index: the host starts it as dist/minerWorker.js.
  packageBuild({ index: 'src/index.ts', minerWorker: 'src/worker/minerWorker.ts' }),
  // The binary: CJS only (packages are not "type": "module"), no declarations, and no
  // clean, which would race the library build writing the same dist/.
  { ...packageBuild(['src/cli.ts']), format: ['cjs'], dts: false, clean: false },
]);
