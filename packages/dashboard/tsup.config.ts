import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

/* The Node side; the browser bundle is tsup.client.config.ts, built after it into dist/client. */
export default defineConfig(
  packageBuild({ index: 'src/index.ts', testing: 'src/testing/index.ts' }),
);
