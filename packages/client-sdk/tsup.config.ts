import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

/*
 * Two entries so the main bundle never loads the runtime: `@signal/client` stays free of
 * native modules, and only apps that import `@signal/client/runtime` pull in ONNX Runtime.
 */
export default defineConfig(
  packageBuild({ index: 'src/index.ts', runtime: 'src/runtime/index.ts' }),
);
