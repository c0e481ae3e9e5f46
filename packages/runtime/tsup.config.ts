import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// The Hub downloads' hashing thread is built beside index: dist/hashWorker.js.
export default defineConfig(
  packageBuild({
    index: 'src/index.ts',
    hashWorker: 'src/hub/hashing/hashWorker.ts',
  }),
);
