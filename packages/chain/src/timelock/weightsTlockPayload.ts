import type { Bytes, Struct, u16, u64, Vec } from '@polkadot/types';
import { TypeRegistry } from '@polkadot/types';
import { u8aToHex } from '@polkadot/util';
import { TimelockError } from '../errors/TimelockErrors';

/** What a timelocked weights commit holds once the chain opens it. */
export interface WeightsTlockPayload {
  /** The committing hotkey's 32-byte public key; the chain checks it is the committer's. */
  hotkey: Uint8Array;
  uids: number[];
  /** u16 weights, already normalised for emission. */
  values: number[];
  versionKey: bigint;
}

/** subtensor's `WeightsTlockPayload`, SCALE field for field. */
const registry = new TypeRegistry();
registry.register({
  WeightsTlockPayload: {
    hotkey: 'Bytes',
    uids: 'Vec<u16>',
    values: 'Vec<u16>',
    version_key: 'u64',
  },
});

const U64_MAX = (1n << 64n) - 1n;

function invalid(details: string): TimelockError {
  return new TimelockError('TIMELOCK_PAYLOAD_INVALID', 'Invalid weights payload', { details });
}

function checkU16s(field: string, values: readonly number[]): void {
  const bad = values.findIndex((v) => !Number.isInteger(v) || v < 0 || v > 0xffff);
  if (bad >= 0) throw invalid(`${field}[${bad}] = ${values[bad]} is not a u16.`);
}

/** SCALE-encodes the payload, refusing values the chain's types cannot hold. */
export function encodeWeightsTlockPayload(payload: WeightsTlockPayload): Uint8Array {
  if (payload.hotkey.length !== 32) {
    throw invalid(`hotkey must be a 32-byte public key, got ${payload.hotkey.length} bytes.`);
  }
  if (payload.uids.length !== payload.values.length) {
    throw invalid(`${payload.uids.length} uids but ${payload.values.length} values.`);
  }
  checkU16s('uids', payload.uids);
  checkU16s('values', payload.values);
  if (payload.versionKey < 0n || payload.versionKey > U64_MAX) {
    throw invalid(`version_key ${payload.versionKey} is not a u64.`);
  }
  return registry
    .createType('WeightsTlockPayload', {
      // A Uint8Array would be read as already length-prefixed; hex is the raw bytes.
      hotkey: u8aToHex(payload.hotkey),
      uids: payload.uids,
      values: payload.values,
      version_key: payload.versionKey,
    })
    .toU8a();
}

/** Decodes a SCALE payload, refusing one that is truncated or has bytes left over. */
export function decodeWeightsTlockPayload(bytes: Uint8Array): WeightsTlockPayload {
  let codec: Struct;
  try {
    codec = registry.createType<Struct>('WeightsTlockPayload', bytes);
  } catch (cause) {
    throw invalid(
      `not a SCALE WeightsTlockPayload: ${cause instanceof Error ? cause.message : cause}`,
    );
  }
  if (codec.encodedLength !== bytes.length) {
    throw invalid(
      `${bytes.length} bytes, but a payload of these fields takes ${codec.encodedLength}.`,
    );
  }
  // `values` is also Map's own method, so the fields are read by name.
  return {
    hotkey: (codec.get('hotkey') as Bytes).toU8a(true),
    uids: (codec.get('uids') as Vec<u16>).map((uid) => uid.toNumber()),
    values: (codec.get('values') as Vec<u16>).map((value) => value.toNumber()),
    versionKey: (codec.get('version_key') as u64).toBigInt(),
  };
}
