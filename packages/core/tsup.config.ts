import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// The signature-verification worker's entry is built beside index: dist/verifyWorker.js.
export default defineConfig(
  packageBuild({ index: 'src/index.ts', verifyWorker: 'src/wire/axon/verify/verifyWorker.ts' }),
);
