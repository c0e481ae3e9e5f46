import { chainCall } from '../subtensor/chainCall';
import type { SubtensorContext } from '../subtensor/SubtensorContext';

/** The head block number. */
export async function getCurrentBlock(context: SubtensorContext): Promise<number> {
  const header = await chainCall(
    context.api.rpc.chain.getHeader(),
    context.timeoutMs,
    'chain_getHeader',
  );
  return header.number.toNumber();
}
