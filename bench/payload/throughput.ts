/**
 * Encode and decode speed on one core, in GB/s of raw tensor bytes (the float32 values a
 * runtime holds), against a plain `Buffer.copy` of the same bytes into a buffer allocated
 * beforehand, measured in the same run. One 7B-shaped half at a time: `[1, 8, kept, 128]`.
 *
 * - quantize: the half into codes, scales and zero points (float16 bits for fp16) written
 *   into buffers allocated once, as the copy writes into its target;
 * - quantize + frame: the same plus the sha256 of every tensor, as `framePayload` does;
 * - quantize + frame, fresh: `encodeKvTensor` (new arrays each time, as a condenser
 *   allocates today) plus the sha256;
 * - dequantize: back to float32 into an array allocated once (as a frame received into a
 *   `sink` does), and into a fresh array (`decodeKvTensor` without `into`);
 * - verify + dequantize: the sha256 a receiver checks, then the dequantization.
 *
 * Times are CPU seconds of this process (median of `repeats`): on a machine shared with
 * other work the wall clock also counts time spent waiting for a core.
 */
import { createHash } from 'node:crypto';
import {
  decodeKvTensor,
  type EncodedKvTensor,
  encodeKvTensor,
  isQuantized,
  type KvFormat,
  narrowInto,
  quantizationSchemeOf,
  quantizeGroups,
  type RawTensor,
} from '../../packages/core/src/index';
import { MISTRAL_7B, syntheticHalf } from './synthetic';

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

function timeIt(repeats: number, run: () => void): number {
  run();
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = cpuSeconds();
    run();
    samples.push(cpuSeconds() - start);
  }
  return median(samples);
}

function leaves(tensor: EncodedKvTensor): RawTensor[] {
  return isQuantized(tensor) ? [tensor.codes, tensor.scale, tensor.zero] : [tensor];
}

function hashAll(data: Uint8Array[]): void {
  for (const bytes of data) createHash('sha256').update(bytes).digest();
}

const bytesOf = (view: ArrayBufferView) =>
  new Uint8Array(view.buffer, view.byteOffset, view.byteLength);

/** An encoder of one half into buffers it allocates once, returning the bytes it wrote. */
function encoderInto(
  format: KvFormat,
  values: Float32Array,
  shape: number[],
  sample: EncodedKvTensor,
): () => Uint8Array[] {
  const scheme = quantizationSchemeOf(format);
  if (scheme === undefined || !isQuantized(sample)) {
    const out = new Uint16Array(values.length);
    return () => {
      narrowInto(values, out);
      return [bytesOf(out)];
    };
  }
  const into = {
    codes: new Uint8Array(sample.codes.data.byteLength),
    scale: new Uint16Array(sample.scale.data.byteLength / 2),
    zero: new Uint16Array(sample.zero.data.byteLength / 2),
  };
  const input = { values, shape, axis: sample.axis, groupSize: sample.group_size, scheme };
  return () => {
    quantizeGroups(input, into);
    return [into.codes, bytesOf(into.scale), bytesOf(into.zero)];
  };
}

export function throughput(kept: number, repeats: number) {
  const shape = [1, MISTRAL_7B.kvHeads, kept, MISTRAL_7B.headDim];
  const halves = { key: syntheticHalf(kept, 0, 'key'), value: syntheticHalf(kept, 0, 'value') };
  const bytes = halves.key.byteLength;
  const gbps = (seconds: number) => Number((bytes / seconds / 1e9).toFixed(3));
  const source = Buffer.from(halves.key.buffer, halves.key.byteOffset, bytes);
  const target = Buffer.alloc(bytes);
  const memcpySeconds = timeIt(repeats, () => source.copy(target));
  const memcpy = gbps(memcpySeconds);
  const formats: KvFormat[] = ['fp16', 'int8', 'int4'];
  const result: Record<string, unknown> = {};
  const output = new Float32Array(bytes / 4);
  for (const format of formats) {
    const row: Record<string, number> = {};
    for (const half of ['key', 'value'] as const) {
      const values = halves[half];
      const tensor = encodeKvTensor(values, shape, half, { format }, half);
      const encode = encoderInto(format, values, shape, tensor);
      const data = leaves(tensor).map((leaf) => leaf.data);
      row[`${half}_quantize_gbps`] = gbps(timeIt(repeats, encode));
      row[`${half}_quantize_frame_gbps`] = gbps(timeIt(repeats, () => hashAll(encode())));
      row[`${half}_quantize_frame_fresh_gbps`] = gbps(
        timeIt(repeats, () =>
          hashAll(leaves(encodeKvTensor(values, shape, half, { format }, half)).map((l) => l.data)),
        ),
      );
      row[`${half}_sha256_gbps`] = gbps(timeIt(repeats, () => hashAll(data)));
      row[`${half}_dequantize_gbps`] = gbps(
        timeIt(repeats, () => decodeKvTensor(tensor, 'float32', half, output)),
      );
      row[`${half}_dequantize_fresh_gbps`] = gbps(
        timeIt(repeats, () => decodeKvTensor(tensor, 'float32', half)),
      );
      row[`${half}_verify_dequantize_gbps`] = gbps(
        timeIt(repeats, () => {
          hashAll(data);
          decodeKvTensor(tensor, 'float32', half, output);
        }),
      );
    }
    const worst = (suffix: string) =>
      Number((Math.min(row[`key_${suffix}`]!, row[`value_${suffix}`]!) / memcpy).toFixed(3));
    result[format] = {
      ...row,
      quantize_over_memcpy: worst('quantize_gbps'),
      quantize_frame_over_memcpy: worst('quantize_frame_gbps'),
      quantize_frame_fresh_over_memcpy: worst('quantize_frame_fresh_gbps'),
      dequantize_over_memcpy: worst('dequantize_gbps'),
      dequantize_fresh_over_memcpy: worst('dequantize_fresh_gbps'),
    };
  }
  return {
    tensor: { shape, bytes_float32: bytes },
    repeats,
    timing: 'CPU seconds of this process, median of repeats',
    memcpy_gbps: memcpy,
    formats: result,
    targets: { quantize_frame_over_memcpy: 0.25, dequantize_over_memcpy: 0.3 },
  };
}
