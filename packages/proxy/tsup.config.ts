import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

/* The serve worker is its own entry: the model host starts it as a worker thread's file. */
export default defineConfig(
  packageBuild({ index: 'src/index.ts', serveWorker: 'src/serve/serveWorker.ts' }),
);
