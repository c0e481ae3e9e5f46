import fc from 'fast-check';
import {
  applyByteMutations,
  applyJsonMutations,
  byteMutations,
  fuzzTarget,
  jsonMutations,
} from '../../../../jest/fuzz';
import { isSignalError } from '../../src/errors/SignalError';
import type { CondensedPayload } from '../../src/payload/CondensedPayload';
import type { PayloadLimits } from '../../src/payload/PayloadLimits';
import { validatePayload } from '../../src/payload/validatePayload';
import { decodeTensor } from '../../src/tensor/codec';
import { GEOMETRY, kvPayload, softPayload, textPayload } from '../payload/fixtures';

const SEEDS: readonly CondensedPayload[] = [
  kvPayload(4, 16),
  kvPayload(3, 9, 'float32'),
  softPayload(4, 16),
  textPayload('a short summary of the context', 6, 16),
];
const SEED_TEXTS = SEEDS.map((seed) => new TextEncoder().encode(JSON.stringify(seed)));

const LIMITS: PayloadLimits = {
  maxPayloadBytes: 64 * 1024,
  minCondensedTokens: 1,
  maxCondensedTokens: 64,
  minCompressionRate: 0,
  maxCompressionRate: 1,
  expectedModel: 'local/tiny-llama',
  geometry: GEOMETRY,
};

/** What a receiver does with a payload: validate it, then decode every tensor it declares. */
function receive(raw: unknown): CondensedPayload {
  const payload = validatePayload(raw, LIMITS);
  const tensors =
    payload.format === 'kv'
      ? payload.layers.flatMap((layer) => [layer.key, layer.value])
      : payload.format === 'soft'
        ? [payload.embeddings]
        : [];
  for (const tensor of tensors) {
    const leaves = 'quantization' in tensor ? [tensor.codes, tensor.scale, tensor.zero] : [tensor];
    for (const leaf of leaves) decodeTensor(leaf, { maxBytes: LIMITS.maxPayloadBytes });
  }
  return payload;
}

function checkReceived(result: unknown): void {
  const payload = result as CondensedPayload;
  expect(payload.condensed_tokens).toBeLessThanOrEqual(payload.original_tokens);
  expect(payload.condensed_tokens).toBeLessThanOrEqual(LIMITS.maxCondensedTokens!);
  expect(payload.model).toBe(LIMITS.expectedModel);
}

const jsonSize = (raw: unknown) => Buffer.byteLength(JSON.stringify(raw) ?? '');

describe('validatePayload fuzz', () => {
  fuzzTarget({
    name: 'validatePayload + decode on structurally mutated payloads',
    input: fc.record({
      seed: fc.integer({ min: 0, max: SEEDS.length - 1 }),
      mutations: jsonMutations(4),
    }),
    prepare: ({ seed, mutations }) => applyJsonMutations(SEEDS[seed], mutations),
    size: jsonSize,
    parse: receive,
    accept: isSignalError,
    check: checkReceived,
  });

  fuzzTarget({
    name: 'validatePayload + decode on byte-mutated payload JSON',
    input: fc.record({
      seed: fc.integer({ min: 0, max: SEEDS.length - 1 }),
      mutations: byteMutations(4),
    }),
    prepare: ({ seed, mutations }) => {
      const text = Buffer.from(applyByteMutations(SEED_TEXTS[seed]!, mutations)).toString();
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
    },
    size: jsonSize,
    parse: receive,
    accept: isSignalError,
    check: checkReceived,
  });
});
