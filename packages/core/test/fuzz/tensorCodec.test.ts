import fc from 'fast-check';
import {
  applyByteMutations,
  type ByteMutation,
  byteMutations,
  fuzzTarget,
} from '../../../../jest/fuzz';
import { isSignalError } from '../../src/errors/SignalError';
import { type BtTensor, DTYPES, type DType, elementCount } from '../../src/tensor/BtTensor';
import { decodeTensor, encodeTensor } from '../../src/tensor/codec';

/** Valid tensors of every dtype, the seeds the mutations start from. */
const SEEDS: readonly BtTensor[] = [
  encodeTensor({ dtype: 'float16', shape: [1, 2, 3, 4], data: new Float32Array(24).fill(0.5) }),
  encodeTensor({
    dtype: 'float32',
    shape: [2, 5],
    data: Float32Array.from({ length: 10 }, (_, i) => i),
  }),
  encodeTensor({ dtype: 'float64', shape: [3], data: [1.5, -2, 3] }),
  encodeTensor({ dtype: 'int8', shape: [4], data: [-128, 0, 1, 127] }),
  encodeTensor({ dtype: 'int16', shape: [2, 2], data: [1, 2, 3, 4] }),
  encodeTensor({ dtype: 'int32', shape: [2], data: [-1, 7] }),
  encodeTensor({ dtype: 'int64', shape: [2], data: [1n, -1n] }),
  encodeTensor({ dtype: 'uint8', shape: [300], data: new Uint8Array(300).fill(9) }),
  encodeTensor({ dtype: 'bool', shape: [3], data: [0, 1, 1] }),
  encodeTensor({ dtype: 'float32', shape: [], data: [42] }),
  encodeTensor({ dtype: 'float16', shape: [1, 1, 70, 8], data: new Float32Array(560) }),
];
const SEED_BYTES = SEEDS.map((seed) => Uint8Array.from(Buffer.from(seed.buffer, 'base64')));
const DTYPE_NAMES = Object.keys(DTYPES) as DType[];
const MAX_BYTES = 64 * 1024;

interface TensorCase {
  readonly seed: number;
  readonly mutations: ByteMutation[];
  /** Replaces the declared dtype (undefined keeps the seed's). */
  readonly dtype: DType | undefined;
  /** Replaces one declared dimension (undefined keeps the seed's shape). */
  readonly dimension: { readonly axis: number; readonly value: number } | undefined;
}

const dimensionValue = fc.oneof(
  fc.integer({ min: 0, max: 600 }),
  fc.constantFrom(2 ** 16, 2 ** 31, 2 ** 32, 2 ** 53 - 1),
);

const tensorCase: fc.Arbitrary<TensorCase> = fc.record({
  seed: fc.integer({ min: 0, max: SEEDS.length - 1 }),
  mutations: fc.oneof(byteMutations(6), fc.constant<ByteMutation[]>([])),
  dtype: fc.option(fc.constantFrom(...DTYPE_NAMES), { nil: undefined }),
  dimension: fc.option(fc.record({ axis: fc.nat(4), value: dimensionValue }), { nil: undefined }),
});

function tensorOf(input: TensorCase): BtTensor {
  const seed = SEEDS[input.seed]!;
  const bytes = applyByteMutations(SEED_BYTES[input.seed]!, input.mutations);
  const shape = [...seed.shape];
  if (input.dimension && shape.length > 0) {
    shape[input.dimension.axis % shape.length] = input.dimension.value;
  }
  return {
    buffer: Buffer.from(bytes).toString('base64'),
    dtype: input.dtype ?? seed.dtype,
    shape,
  };
}

/** What a decoded tensor must satisfy: the declared dtype, a shape holding exactly its data. */
function checkDecoded(result: unknown, tensor: BtTensor): void {
  const decoded = result as ReturnType<typeof decodeTensor>;
  expect(decoded.dtype).toBe(tensor.dtype);
  const scalar = decoded.shape.length === 0;
  expect(decoded.data.length).toBe(scalar ? 1 : elementCount(decoded.shape));
  expect(decoded.data.length * DTYPES[tensor.dtype].bytes).toBeLessThanOrEqual(MAX_BYTES);
}

describe('tensor codec fuzz', () => {
  fuzzTarget({
    name: 'decodeTensor on mutated msgpack-numpy buffers',
    input: tensorCase,
    prepare: tensorOf,
    size: (tensor) => tensor.buffer.length,
    parse: (tensor) => decodeTensor(tensor, { maxBytes: MAX_BYTES }),
    accept: isSignalError,
    check: checkDecoded,
  });

  fuzzTarget({
    name: 'decodeTensor on mutated base64 text',
    input: fc.record({
      seed: fc.integer({ min: 0, max: SEEDS.length - 1 }),
      mutations: byteMutations(4),
    }),
    prepare: ({ seed, mutations }) => {
      const text = new TextEncoder().encode(SEEDS[seed]!.buffer);
      return {
        ...SEEDS[seed]!,
        buffer: Buffer.from(applyByteMutations(text, mutations)).toString('latin1'),
      };
    },
    size: (tensor) => tensor.buffer.length,
    parse: (tensor) => decodeTensor(tensor, { maxBytes: MAX_BYTES }),
    accept: isSignalError,
    check: checkDecoded,
  });
});
