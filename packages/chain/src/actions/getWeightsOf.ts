import type { u16, Vec } from '@polkadot/types';
import type { ITuple } from '@polkadot/types/types';
import { queryStorage } from '../subtensor/queryStorage';
import { resolveBlock } from '../subtensor/resolveBlock';
import type { SubtensorContext } from '../subtensor/SubtensorContext';

/** A uid's weights on chain (`SubtensorModule.Weights`), as [uid, u16 weight] pairs. */
export async function getWeightsOf(
  context: SubtensorContext,
  netuid: number,
  uid: number,
  blockHash?: string,
): Promise<Array<[number, number]>> {
  const at = blockHash ?? (await resolveBlock(context)).hash;
  const row = (await queryStorage(context, 'subtensorModule', 'weights', [netuid, uid], at)) as Vec<
    ITuple<[u16, u16]>
  >;
  return row.map(([dest, weight]) => [dest.toNumber(), weight.toNumber()]);
}
