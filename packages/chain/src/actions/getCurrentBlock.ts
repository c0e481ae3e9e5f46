import type { SubtensorContext } from '../subtensor/SubtensorContext';
import { withTimeout } from '../subtensor/withTimeout';

/** The head block number. */
export async function getCurrentBlock(context: SubtensorContext): Promise<number> {
  const header = await withTimeout(
    context.api.rpc.chain.getHeader(),
    context.timeoutMs,
    'chain_getHeader',
  );
  return header.number.toNumber();
}
