import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// `testing` is a separate entry so the replay server (and `ws`) never load with the client.
export default defineConfig(
  packageBuild({ index: 'src/index.ts', testing: 'src/testing/index.ts' }),
);
