/**
 * Encode and decode speed on one core, in GB/s of raw tensor bytes (the float32 values a
 * runtime holds), against a plain `Buffer.copy` of the same bytes measured in the same run:
 * quantize + frame (encode the half, then sha256 every tensor of it, as `framePayload`
 * does) and dequantize (codes, scales and zero points back to float32; also with the
 * sha256 a receiver checks first). One 7B-shaped half at a time: `[1, 8, kept, 128]`.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  decodeKvTensor,
  type EncodedKvTensor,
  encodeKvTensor,
  isQuantized,
  type KvFormat,
  type RawTensor,
} from '../../packages/core/src/index';
import { MISTRAL_7B, syntheticHalf } from './synthetic';

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function timeIt(repeats: number, run: () => void): number {
  run();
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  return median(samples) / 1000;
}

function leaves(tensor: EncodedKvTensor): RawTensor[] {
  return isQuantized(tensor) ? [tensor.codes, tensor.scale, tensor.zero] : [tensor];
}

function hashAll(tensor: EncodedKvTensor): void {
  for (const leaf of leaves(tensor)) createHash('sha256').update(leaf.data).digest();
}

export function throughput(kept: number, repeats: number) {
  const shape = [1, MISTRAL_7B.kvHeads, kept, MISTRAL_7B.headDim];
  const halves = { key: syntheticHalf(kept, 0, 'key'), value: syntheticHalf(kept, 0, 'value') };
  const bytes = halves.key.byteLength;
  const gbps = (seconds: number) => Number((bytes / seconds / 1e9).toFixed(3));
  const source = Buffer.from(halves.key.buffer, halves.key.byteOffset, bytes);
  const target = Buffer.alloc(bytes);
  const memcpy = gbps(timeIt(repeats, () => source.copy(target)));
  const formats: KvFormat[] = ['fp16', 'int8', 'int4'];
  const result: Record<string, unknown> = {};
  for (const format of formats) {
    const row: Record<string, number> = {};
    for (const half of ['key', 'value'] as const) {
      const values = halves[half];
      const encode = timeIt(repeats, () =>
        hashAll(encodeKvTensor(values, shape, half, { format }, half)),
      );
      const tensor = encodeKvTensor(values, shape, half, { format }, half);
      const decode = timeIt(repeats, () => decodeKvTensor(tensor, 'float32', half));
      const receive = timeIt(repeats, () => {
        hashAll(tensor);
        decodeKvTensor(tensor, 'float32', half);
      });
      row[`${half}_quantize_frame_gbps`] = gbps(encode);
      row[`${half}_dequantize_gbps`] = gbps(decode);
      row[`${half}_verify_dequantize_gbps`] = gbps(receive);
    }
    const worst = (suffix: string) => Math.min(row[`key_${suffix}`]!, row[`value_${suffix}`]!);
    result[format] = {
      ...row,
      quantize_frame_over_memcpy: Number((worst('quantize_frame_gbps') / memcpy).toFixed(3)),
      dequantize_over_memcpy: Number((worst('dequantize_gbps') / memcpy).toFixed(3)),
    };
  }
  return {
    tensor: { shape, bytes_float32: bytes },
    repeats,
    memcpy_gbps: memcpy,
    formats: result,
    targets: { quantize_frame_over_memcpy: 0.25, dequantize_over_memcpy: 0.3 },
  };
}
