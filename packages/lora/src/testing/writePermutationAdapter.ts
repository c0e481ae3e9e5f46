import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RECALL_LAYOUT, SeededRandom } from '@signal/runtime';
import { LoraError } from '../errors/LoraError';
import { AdapterConfigSchema } from '../peft/AdapterConfig';
import { ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE } from '../peft/loadPeftAdapter';
import { peftTensorKey } from '../peft/moduleNames';
import { writeSafetensors } from '../safetensors/writeSafetensors';
import type { AdapterDType, WrittenTestAdapter } from './buildTestAdapter';

const DTYPES = { fp32: 'F32', fp16: 'F16', bf16: 'BF16' } as const;

/** The induction head's output projection: it writes the recalled value into the residual. */
const MODULE = 'model.layers.1.self_attn.o_proj';

export interface WritePermutationAdapterOptions {
  readonly outDir: string;
  /**
   * π over value indices (a bijection on 0..RECALL_VALUE_COUNT−1): where the recall model
   * would answer value i, the adapted model answers value π[i].
   */
  readonly permutation: readonly number[];
  /** fp16 and bf16 hold 0 and ±1 exactly, so every dtype permutes exactly. */
  readonly dtype?: AdapterDType | undefined;
}

function assertPermutation(permutation: readonly number[]): void {
  const count = RECALL_LAYOUT.values;
  const seen = new Set(permutation);
  const valid =
    permutation.length === count &&
    seen.size === count &&
    permutation.every((v) => Number.isInteger(v) && v >= 0 && v < count);
  if (!valid) {
    throw new LoraError(
      'LORA_CONFIG_INVALID',
      'A permutation adapter needs a permutation of the values',
      {
        details: `expected each of 0..${count - 1} exactly once, got [${permutation.slice(0, 40).join(', ')}]`,
      },
    );
  }
}

/**
 * Writes a PEFT adapter for the constructed recall model (`buildModel({ preset: 'recall' })`)
 * that permutes its answers. The induction head's o_proj maps head dimension i (the value
 * it attended to) to answer dimension i; the adapter adds ΔW = P_π − I on that block, so
 * o_proj + ΔW maps i to answer dimension π(i). As a LoRA of rank `values` with scale 1:
 * A [r, heads × head_dim] selects head 0's dimension i into rank i, and B [hidden, r] writes
 * +1 to answer π(i) and −1 to answer i.
 */
export async function writePermutationAdapter(
  options: WritePermutationAdapterOptions,
): Promise<WrittenTestAdapter> {
  assertPermutation(options.permutation);
  const rank = RECALL_LAYOUT.values;
  const { hiddenSize } = RECALL_LAYOUT;
  // o_proj reads every head's dimensions side by side; the induction head is head 0.
  const inputs = RECALL_LAYOUT.heads * RECALL_LAYOUT.headDim;
  const answer = RECALL_LAYOUT.residual.answer;
  const a = new Float32Array(rank * inputs);
  const b = new Float32Array(hiddenSize * rank);
  options.permutation.forEach((target, value) => {
    a[value * inputs + value] = 1;
    b[(answer + target) * rank + value]! += 1;
    b[(answer + value) * rank + value]! -= 1;
  });
  const config = AdapterConfigSchema.parse({
    peft_type: 'LORA',
    r: rank,
    lora_alpha: rank,
    target_modules: ['o_proj'],
    layers_to_transform: [1],
  });
  const dtype = DTYPES[options.dtype ?? 'fp32'];
  await mkdir(options.outDir, { recursive: true });
  await writeFile(
    join(options.outDir, ADAPTER_CONFIG_FILE),
    `${JSON.stringify(config, null, 2)}\n`,
  );
  await writeFile(
    join(options.outDir, ADAPTER_WEIGHTS_FILE),
    writeSafetensors(
      [
        { name: peftTensorKey(MODULE, 'A'), dtype, shape: [rank, inputs], data: a },
        { name: peftTensorKey(MODULE, 'B'), dtype, shape: [hiddenSize, rank], data: b },
      ],
      { format: 'pt' },
    ),
  );
  return { dir: options.outDir, modules: [MODULE] };
}

/**
 * A seeded permutation of `count` items with no fixed point (one cycle, Sattolo's
 * algorithm), so every answer of a permutation adapter differs from the base model's.
 */
export function seededDerangement(count: number, seed: number): number[] {
  const random = new SeededRandom(seed);
  const items = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random.next() * i);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
