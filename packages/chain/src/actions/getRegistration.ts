import type { Option, u16, u64 } from '@polkadot/types';
import { queryStorage } from '../subtensor/queryStorage';
import type { SubtensorContext } from '../subtensor/SubtensorContext';

/** The hotkey's uid on the subnet (`SubtensorModule.Uids`), or null when unregistered. */
export async function getUidOf(
  context: SubtensorContext,
  netuid: number,
  hotkey: string,
): Promise<number | null> {
  const uid = (await queryStorage(context, 'subtensorModule', 'uids', [
    netuid,
    hotkey,
  ])) as Option<u16>;
  return uid.isSome ? uid.unwrap().toNumber() : null;
}

/** The hotkey's alpha stake on the subnet in rao (`SubtensorModule.TotalHotkeyAlpha`). */
export async function getStakeOf(
  context: SubtensorContext,
  netuid: number,
  hotkey: string,
): Promise<bigint> {
  const stake = (await queryStorage(context, 'subtensorModule', 'totalHotkeyAlpha', [
    hotkey,
    netuid,
  ])) as u64;
  return stake.toBigInt();
}
