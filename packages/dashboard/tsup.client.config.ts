import { defineConfig } from 'tsup';

/*
 * The pages' one script: the client entry and the renderers it shares with the server,
 * bundled for the browser into dist/client/dashboard.js, which the server serves itself.
 */
export default defineConfig({
  entry: { dashboard: 'src/client/main.ts' },
  outDir: 'dist/client',
  format: ['iife'],
  platform: 'browser',
  target: 'es2020',
  minify: true,
  sourcemap: false,
  dts: false,
  clean: false,
  outExtension: () => ({ js: '.js' }),
});
