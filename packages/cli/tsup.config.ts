import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

export default defineConfig([
  // The devnet client's model worker is built beside index: dist/clientWorker.js.
  packageBuild({ index: 'src/index.ts', clientWorker: 'src/devnet/clientWorker.ts' }),
  { ...packageBuild(['src/bin.ts']), format: ['cjs'], dts: false, clean: false },
]);
