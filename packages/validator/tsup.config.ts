import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

export default defineConfig([
  // The evaluation worker's entry is built beside index: the host starts dist/validatorWorker.js.
  packageBuild({ index: 'src/index.ts', validatorWorker: 'src/worker/validatorWorker.ts' }),
  { ...packageBuild(['src/cli.ts']), format: ['cjs'], dts: false },
]);
