/**
 * How much a receiver pays to vet a condensed KV payload before decoding it, against the
 * bare alternative of base64-decoding every buffer (what a receiver without pre-checks does
 * before it can even look at the data). Mistral-7B geometry: 32 layers, 8 KV heads,
 * head_dim 128, float16. Prints JSON.
 *
 *   npx tsx bench/payload/validatePayload.ts [kept=128] [iterations=20]
 */
import { performance } from 'node:perf_hooks';
import { validatePayload } from '../../packages/core/src/payload/validatePayload';
import { DTYPES } from '../../packages/core/src/tensor/BtTensor';

const kept = Number(process.argv[2] ?? 128);
const iterations = Number(process.argv[3] ?? 20);
const geometry = { layers: 32, kvHeads: 8, headDim: 128 };

/** A real msgpack-numpy framing around zeroed float16 data, as bittensor's Tensor sends it. */
function tensorBuffer(shape: number[]): string {
  const dataBytes = shape.reduce((n, d) => n * d, 1) * DTYPES.float16.bytes;
  const key = (k: string) => [0xc4, k.length, ...Buffer.from(k)];
  const u16 = (n: number) => (n < 0x80 ? [n] : [0xcd, n >> 8, n & 0xff]);
  const head = Buffer.from([
    0x85,
    ...key('nd'),
    0xc3,
    ...key('type'),
    0xa3,
    ...Buffer.from('<f2'),
    ...key('kind'),
    0xc4,
    0,
    ...key('shape'),
    0x90 | shape.length,
    ...shape.flatMap(u16),
    ...key('data'),
    0xc6,
    (dataBytes >>> 24) & 0xff,
    (dataBytes >>> 16) & 0xff,
    (dataBytes >>> 8) & 0xff,
    dataBytes & 0xff,
  ]);
  return Buffer.concat([head, Buffer.alloc(dataBytes)]).toString('base64');
}

const shape = [1, geometry.kvHeads, kept, geometry.headDim];
const buffer = tensorBuffer(shape);
const payload = {
  format: 'kv',
  model: 'mistralai/Mistral-7B-Instruct-v0.2',
  original_tokens: kept * 4,
  condensed_tokens: kept,
  original_length: kept * 4,
  kept,
  layers: Array.from({ length: geometry.layers }, () => ({
    key: { buffer, dtype: 'float16', shape },
    value: { buffer, dtype: 'float16', shape },
  })),
};
const limits = { maxPayloadBytes: 256 * 1024 * 1024, geometry };

function time(run: () => void): { meanMs: number; minMs: number } {
  run();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  return {
    meanMs: samples.reduce((a, b) => a + b, 0) / samples.length,
    minMs: Math.min(...samples),
  };
}

const validate = time(() => {
  validatePayload(payload, limits);
});
const decode = time(() => {
  let bytes = 0;
  for (const layer of payload.layers) {
    bytes += Buffer.from(layer.key.buffer, 'base64').length;
    bytes += Buffer.from(layer.value.buffer, 'base64').length;
  }
  if (bytes === 0) throw new Error('nothing decoded');
});

console.log(
  JSON.stringify(
    {
      benchmark: 'validatePayload vs base64-decoding the buffers',
      geometry: { ...geometry, kept, dtype: 'float16' },
      base64Bytes: buffer.length * 2 * geometry.layers,
      iterations,
      validatePayload: validate,
      baselineBase64Decode: decode,
      ratioMean: validate.meanMs / decode.meanMs,
    },
    null,
    2,
  ),
);
