import fc from 'fast-check';
import {
  applyByteMutations,
  applyJsonMutations,
  byteMutations,
  fuzzTarget,
  jsonMutations,
} from '../../../../jest/fuzz';
import { isSignalError } from '../../src/errors/SignalError';
import type { DecodedKv } from '../../src/payload/DecodedKv';
import { decodeKvPayload } from '../../src/payload/decodeKvPayload';
import type { KvFormat } from '../../src/payload/KvFormat';
import { toWirePayload } from '../../src/payload/toWirePayload';
import { validatePayload } from '../../src/payload/validatePayload';
import { encodedKv } from '../wire/binary/frameFixtures';

/** One wire payload per kv format (fp32, fp16, int8 per channel/token, int4 grouped). */
const FORMATS: readonly KvFormat[] = ['fp32', 'fp16', 'int8', 'int4'];
const SEEDS = FORMATS.map((format) => toWirePayload(encodedKv(format)));
const SEED_TEXTS = SEEDS.map((seed) => new TextEncoder().encode(JSON.stringify(seed)));
const LIMITS = { maxPayloadBytes: 1 << 20 };

/** What a receiver does with a kv payload: validate it, then dequantize it into both cache dtypes. */
function receive(raw: unknown): DecodedKv<'float32'> | null {
  const payload = validatePayload(raw, LIMITS);
  if (payload.format !== 'kv') return null;
  decodeKvPayload(payload, { dtype: 'float16' });
  return decodeKvPayload(payload, { dtype: 'float32' });
}

function checkDecoded(result: unknown): void {
  const decoded = result as DecodedKv<'float32'> | null;
  if (decoded === null) return;
  const count = decoded.kvHeads * decoded.kept * decoded.headDim;
  for (const layer of decoded.layers) {
    expect(layer.key.length).toBe(count);
    expect(layer.value.length).toBe(count);
  }
}

const jsonSize = (raw: unknown) => Buffer.byteLength(JSON.stringify(raw) ?? '');
const seedIndex = fc.integer({ min: 0, max: SEEDS.length - 1 });

describe('kv payload codecs fuzz (fp32, fp16, int8, int4)', () => {
  fuzzTarget({
    name: 'validatePayload + decodeKvPayload on structurally mutated kv payloads',
    input: fc.record({ seed: seedIndex, mutations: jsonMutations(4) }),
    prepare: ({ seed, mutations }) => applyJsonMutations(SEEDS[seed], mutations),
    size: jsonSize,
    parse: receive,
    accept: isSignalError,
    check: checkDecoded,
  });

  fuzzTarget({
    name: 'validatePayload + decodeKvPayload on byte-mutated kv payload JSON',
    input: fc.record({ seed: seedIndex, mutations: byteMutations(4) }),
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
    check: checkDecoded,
  });
});
