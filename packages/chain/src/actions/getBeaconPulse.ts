import type { Bytes, Option, Struct } from '@polkadot/types';
import { queryStorage } from '../subtensor/queryStorage';
import { resolveBlock } from '../subtensor/resolveBlock';
import type { SubtensorContext } from '../subtensor/SubtensorContext';

interface PulseCodec extends Struct {
  signature: Bytes;
}

/**
 * The drand signature of `round` if the chain has ingested that pulse (`Drand.Pulses`),
 * else null. The pallet tolerates an ASCII `0x` in front of the stored bytes; so do we.
 */
export async function getBeaconPulse(
  context: SubtensorContext,
  round: number,
  blockHash?: string,
): Promise<Uint8Array | null> {
  const at = blockHash ?? (await resolveBlock(context)).hash;
  const pulse = (await queryStorage(context, 'drand', 'pulses', [round], at)) as Option<PulseCodec>;
  if (pulse.isNone) return null;
  const bytes = pulse.unwrap().signature.toU8a(true);
  return bytes[0] === 0x30 && bytes[1] === 0x78 ? bytes.subarray(2) : bytes;
}
