import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assembleKernels, KERNELS_DIR, kernelsModuleSource } from '../../scripts/kernelsAssembly';

describe('SIMD kernels module', () => {
  it('is the bytes the assembler makes of the committed kernels.wat', async () => {
    const committed = readFileSync(join(KERNELS_DIR, 'kernelsWasm.ts'), 'utf8');
    expect(committed).toBe(kernelsModuleSource(await assembleKernels()));
  });
});
