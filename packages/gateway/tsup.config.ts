import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

export default defineConfig([
  packageBuild(),
  { ...packageBuild(['src/cli.ts']), format: ['cjs'], dts: false },
]);
