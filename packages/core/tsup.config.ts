import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// The sr25519 worker's entry is built beside index: dist/signatureWorker.js.
export default defineConfig(
  packageBuild({
    index: 'src/index.ts',
    signatureWorker: 'src/wire/axon/signatures/signatureWorker.ts',
  }),
);
