import { Tensor } from 'onnxruntime-node';
import { LoraError } from '../errors/LoraError';
import type { LoraAdapter, LoraTarget } from '../peft/LoraAdapter';
import { loraInputName } from '../peft/moduleNames';

/**
 * Feeds for every grafted module, for a batch whose row i uses `rows[i]` (null = the base
 * model). When every row shares one adapter the leading dim is 1 and the adapter's own
 * arrays are fed without a copy; otherwise each module gets per-row stacks
 * `[batch, in, r_max]` / `[batch, r_max, out]`, zero-padded to the largest rank among the
 * rows — zero columns of A and rows of B add exactly nothing.
 */
export function loraFeeds(
  targets: readonly LoraTarget[],
  rows: readonly (LoraAdapter | null)[],
): Record<string, Tensor> {
  if (rows.length === 0)
    throw new LoraError('LORA_BATCH_INVALID', 'A LoRA batch needs at least one row');
  const first = rows[0]!;
  const uniform = rows.every((r) => r === first);
  const feeds: Record<string, Tensor> = {};
  for (const target of targets) {
    const { module, inFeatures: n, outFeatures: m } = target;
    const a = loraInputName(module, 'A');
    const b = loraInputName(module, 'B');
    if (uniform) {
      const weights = first?.modules.get(module);
      feeds[a] = new Tensor('float32', weights?.a ?? new Float32Array(0), [
        1,
        n,
        weights?.rank ?? 0,
      ]);
      feeds[b] = new Tensor('float32', weights?.b ?? new Float32Array(0), [
        1,
        weights?.rank ?? 0,
        m,
      ]);
      continue;
    }
    const perRow = rows.map((r) => r?.modules.get(module));
    const rMax = Math.max(0, ...perRow.map((w) => w?.rank ?? 0));
    const stackA = new Float32Array(rows.length * n * rMax);
    const stackB = new Float32Array(rows.length * rMax * m);
    perRow.forEach((w, row) => {
      if (!w) return;
      if (w.rank === rMax) {
        stackA.set(w.a, row * n * rMax);
      } else {
        const base = row * n * rMax;
        for (let i = 0; i < n; i++) {
          for (let k = 0; k < w.rank; k++) stackA[base + i * rMax + k] = w.a[i * w.rank + k]!;
        }
      }
      // B's first `rank` rows are the adapter's; the padding rows stay zero.
      stackB.set(w.b, row * rMax * m);
    });
    feeds[a] = new Tensor('float32', stackA, [rows.length, n, rMax]);
    feeds[b] = new Tensor('float32', stackB, [rows.length, rMax, m]);
  }
  return feeds;
}
