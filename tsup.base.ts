import type { Options } from 'tsup';

/** Every package ships ESM + CJS + declarations for Node 20, with dependencies left external. */
export const packageBuild = (entry: Options['entry'] = ['src/index.ts']): Options => ({
  entry,
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: false,
  // `__filename` in ESM builds too: worker entries are found beside the calling module.
  shims: true,
});
