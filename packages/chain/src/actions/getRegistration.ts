import type { Option, u16, u64 } from '@polkadot/types';
import { queryStorage } from '../subtensor/queryStorage';
import { resolveBlock } from '../subtensor/resolveBlock';
import type { SubtensorContext } from '../subtensor/SubtensorContext';

/** The hotkey's uid on the subnet (`SubtensorModule.Uids`), or null when unregistered. */
export async function getUidOf(
  context: SubtensorContext,
  netuid: number,
  hotkey: string,
  blockHash?: string,
): Promise<number | null> {
  const at = blockHash ?? (await resolveBlock(context)).hash;
  const uid = (await queryStorage(
    context,
    'subtensorModule',
    'uids',
    [netuid, hotkey],
    at,
  )) as Option<u16>;
  return uid.isSome ? uid.unwrap().toNumber() : null;
}

/** The hotkey's alpha stake on the subnet in rao (`SubtensorModule.TotalHotkeyAlpha`). */
export async function getStakeOf(
  context: SubtensorContext,
  netuid: number,
  hotkey: string,
  blockHash?: string,
): Promise<bigint> {
  const at = blockHash ?? (await resolveBlock(context)).hash;
  const stake = (await queryStorage(
    context,
    'subtensorModule',
    'totalHotkeyAlpha',
    [hotkey, netuid],
    at,
  )) as u64;
  return stake.toBigInt();
}
