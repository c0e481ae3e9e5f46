/**
 * Assembles src/simd/kernels.wat into src/simd/kernelsWasm.ts (the module's bytes as
 * base64), so the package ships no binary without its source and needs no assembler at
 * run time: `pnpm --filter @signal/core kernels`. A test checks that the committed bytes
 * are what this produces from the committed source.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assembleKernels, KERNELS_DIR, kernelsModuleSource } from './kernelsAssembly';

assembleKernels().then((bytes) => {
  writeFileSync(join(KERNELS_DIR, 'kernelsWasm.ts'), kernelsModuleSource(bytes));
  console.error(`kernelsWasm.ts: ${bytes.byteLength} bytes of wasm`);
});
