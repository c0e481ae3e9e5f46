import { Metadata, TypeRegistry } from '@polkadot/types';
import type { ChainProperties } from '@polkadot/types/interfaces';
import { compactFromU8a, compactToU8a, hexToU8a, u8aConcat } from '@polkadot/util';
import { isSignalError } from '@signal/core';
import fc from 'fast-check';
import {
  applyByteMutations,
  type ByteMutation,
  byteMutations,
  fuzzTarget,
} from '../../../../jest/fuzz';
import { decodeMetagraph, type MetagraphBytes } from '../../src/metagraph/decodeMetagraph';
import type { Metagraph } from '../../src/metagraph/Metagraph';
import { scaleEnd } from '../../src/subtensor/scaleLayout';
import { SUBTENSOR_SIGNED_EXTENSIONS } from '../../src/subtensor/signedExtensions';
import { finneyFixture } from '../support/fixtures';

const { recording, metadataHex } = finneyFixture();
const NETUID = 1;

function registryOf(hex: `0x${string}`): TypeRegistry {
  const registry = new TypeRegistry();
  registry.setMetadata(new Metadata(registry, hex), undefined, SUBTENSOR_SIGNED_EXTENSIONS);
  registry.setChainProperties(
    registry.createType('ChainProperties', {
      ss58Format: recording.ss58_format,
    }) as ChainProperties,
  );
  return registry;
}

const registry = registryOf(metadataHex as `0x${string}`);

function recorded(method: string): Uint8Array {
  const call = recording.calls.find((c) => c.params[0] === method);
  return hexToU8a(String(call?.result));
}

function runtimeOutput(api: string, method: string): number {
  const entry = registry.metadata.apis
    .find((a) => a.name.toString() === api)!
    .methods.find((m) => m.name.toString() === method)!;
  return entry.output.toNumber();
}

/** A Vec's first `keep` elements, re-prefixed: `[compact(keep), …]` and where the Vec ended. */
function truncateVec(bytes: Uint8Array, at: number, item: number, keep: number) {
  const [prefix, length] = compactFromU8a(bytes.subarray(at));
  const count = length.toNumber();
  let end = at + prefix;
  let kept = end;
  for (let i = 0; i < count; i += 1) {
    end = scaleEnd(registry, item, bytes, end, 'seed');
    if (i === keep - 1) kept = end;
  }
  return {
    bytes: u8aConcat(compactToU8a(Math.min(keep, count)), bytes.subarray(at + prefix, kept)),
    end,
    count,
  };
}

/** The last subnet-state field the metagraph reads; the decoder never looks past it. */
const LAST_STATE_FIELD = 'total_stake';

/**
 * The finney answers cut down to their first `keep` neurons: get_neurons_lite's Vec, and every
 * per-uid column of subnet state (the fields holding one entry per neuron) up to the last one
 * the metagraph reads; the other fields as recorded. A thousand neurons per case would make a
 * slow fuzzer.
 */
function seedOf(keep: number): MetagraphBytes {
  const liteType = runtimeOutput('NeuronInfoRuntimeApi', 'get_neurons_lite');
  const neuron = registry.lookup.getSiType(liteType).def.asSequence.type.toNumber();
  const fullLite = recorded('NeuronInfoRuntimeApi_get_neurons_lite');
  const lite = truncateVec(fullLite, 0, neuron, keep);

  const stateBytes = recorded('SubnetInfoRuntimeApi_get_subnet_state');
  const stateOption = registry.lookup.getSiType(
    runtimeOutput('SubnetInfoRuntimeApi', 'get_subnet_state'),
  );
  const stateType = stateOption.params[0]!.type.unwrap().toNumber();
  const parts: Uint8Array[] = [stateBytes.subarray(0, 1)];
  let offset = 1;
  for (const field of registry.lookup.getSiType(stateType).def.asComposite.fields) {
    const def = registry.lookup.getSiType(field.type.toNumber()).def;
    const end = scaleEnd(registry, field.type.toNumber(), stateBytes, offset, 'seed');
    const isColumn =
      def.isSequence && compactFromU8a(stateBytes.subarray(offset))[1].toNumber() === lite.count;
    parts.push(
      isColumn
        ? truncateVec(stateBytes, offset, def.asSequence.type.toNumber(), keep).bytes
        : stateBytes.subarray(offset, end),
    );
    offset = end;
    if (field.name.unwrapOr('').toString() === LAST_STATE_FIELD) break;
  }
  return {
    netuid: NETUID,
    block: recording.block_number,
    neuronsLite: lite.bytes,
    subnetState: u8aConcat(...parts),
  };
}

const KEEP = [1, 2, 3, 8] as const;
let seeds: MetagraphBytes[] | undefined;
const seedsOnce = (): MetagraphBytes[] => {
  seeds ??= KEEP.map(seedOf);
  return seeds;
};

/** Where the first Vec length sits: the neuron count, and subnet state's hotkey count. */
const STATE_HOTKEYS_AT = (state: Uint8Array): number => 1 + compactFromU8a(state.subarray(1))[0];

interface MetagraphCase {
  readonly seed: number;
  readonly lite: ByteMutation[];
  readonly state: ByteMutation[];
  /** Overwrites the neuron count of both answers with this compact (a 2^32-neuron claim). */
  readonly count: bigint | undefined;
}

const countClaim = fc.constantFrom(
  0n,
  2n,
  9n,
  2n ** 14n,
  2n ** 30n - 1n,
  2n ** 32n,
  2n ** 53n - 1n,
  2n ** 64n - 1n,
);

const metagraphCase: fc.Arbitrary<MetagraphCase> = fc.record({
  seed: fc.integer({ min: 0, max: KEEP.length - 1 }),
  lite: fc.oneof(byteMutations(4), fc.constant<ByteMutation[]>([])),
  state: fc.oneof(byteMutations(4), fc.constant<ByteMutation[]>([])),
  count: fc.option(countClaim, { nil: undefined }),
});

function withCount(bytes: Uint8Array, at: number, count: bigint | undefined): Uint8Array {
  if (count === undefined) return bytes;
  const [prefix] = compactFromU8a(bytes.subarray(at));
  return u8aConcat(bytes.subarray(0, at), compactToU8a(count), bytes.subarray(at + prefix));
}

function prepare(input: MetagraphCase): MetagraphBytes {
  const seed = seedsOnce()[input.seed]!;
  const state = withCount(seed.subnetState, STATE_HOTKEYS_AT(seed.subnetState), input.count);
  return {
    ...seed,
    neuronsLite: applyByteMutations(withCount(seed.neuronsLite, 0, input.count), input.lite),
    subnetState: applyByteMutations(state, input.state),
  };
}

/** A decoded metagraph must be whole: one neuron per uid slot, and no more than the bytes hold. */
function checkMetagraph(result: unknown, bytes: MetagraphBytes): void {
  const metagraph = result as Metagraph;
  expect(metagraph.netuid).toBe(NETUID);
  expect(metagraph.neurons).toHaveLength(metagraph.n);
  // A lite neuron takes at least two keys (64 bytes).
  expect(metagraph.n * 64).toBeLessThanOrEqual(bytes.neuronsLite.length);
  for (const neuron of metagraph.neurons) {
    expect(Number.isInteger(neuron.uid)).toBe(true);
    expect(typeof neuron.hotkey).toBe('string');
    expect(typeof neuron.stake.total).toBe('bigint');
    expect(neuron.incentive).toBeGreaterThanOrEqual(0);
    expect(neuron.incentive).toBeLessThanOrEqual(1);
  }
}

describe('metagraph SCALE decoders fuzz (finney netuid 1 answers)', () => {
  it('the seeds decode: the first neurons of the recorded metagraph', () => {
    const metagraphs = seedsOnce().map((seed) => decodeMetagraph(registry, seed));
    expect(metagraphs.map((m) => m.n)).toEqual([...KEEP]);
    expect(metagraphs[3]!.neurons[0]!.hotkey).toBe(
      '5DkMmXtWf16RNdusZGCrJ7ca7ADPgRnZLVWCWbgA7s7sy1AQ',
    );
    expect(metagraphs[3]!.neurons.map((neuron) => neuron.uid)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('refuses a neuron count of 2^32 from the length prefix, before building anything', () => {
    const seed = seedsOnce()[0]!;
    expect(() =>
      decodeMetagraph(registry, {
        ...seed,
        neuronsLite: withCount(seed.neuronsLite, 0, 2n ** 32n),
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'CHAIN_REQUEST',
        details: expect.stringMatching(/4294967296 elements/),
      }),
    );
  });

  fuzzTarget({
    name: 'decodeMetagraph on mutated get_neurons_lite + get_subnet_state answers',
    input: metagraphCase,
    prepare,
    size: (bytes) => bytes.neuronsLite.length + bytes.subnetState.length,
    parse: (bytes) => decodeMetagraph(registry, bytes),
    accept: isSignalError,
    check: checkMetagraph,
    regressions: [
      // Found on the first run: subnet state with a zero neuron count and an emptied lite
      // answer, whose next field then read as a Vec of 1 016 798 866 elements; the old decoder
      // let polkadot's bare Error ("Vec length … exceeds 524288") escape the metagraph read.
      { seed: 0, lite: [{ kind: 'set', at: 0, value: 0 }], state: [], count: 0n },
    ],
  });
});
