import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import wabt from 'wabt';

export const KERNELS_DIR = join(__dirname, '..', 'src', 'simd');

/** The wasm bytes of kernels.wat. */
export async function assembleKernels(): Promise<Uint8Array> {
  const assembler = await wabt();
  const source = readFileSync(join(KERNELS_DIR, 'kernels.wat'), 'utf8');
  const module = assembler.parseWat('kernels.wat', source, { simd: true, multi_value: true });
  try {
    module.validate();
    return Uint8Array.from(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}

/** kernelsWasm.ts as the assembler writes it. */
export function kernelsModuleSource(bytes: Uint8Array): string {
  const base64 = Buffer.from(bytes).toString('base64');
  const lines = base64.match(/.{1,96}/g) ?? [];
  return [
    '// Generated from kernels.wat by `pnpm --filter @signal/core kernels`. Do not edit.',
    'export const KERNELS_WASM_BASE64 =',
    ...lines.map((line, i) => `  '${line}'${i === lines.length - 1 ? ';' : ' +'}`),
    '',
  ].join('\n');
}
