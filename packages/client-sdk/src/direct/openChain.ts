import { ClientError } from '../errors/ClientError';
import type { MetagraphReader } from './MetagraphReader';

/**
 * Connects to subtensor for direct mode. `@signal/chain` (and @polkadot/api behind it) is an
 * optional peer loaded only here, so gateway-mode apps never install or load it; apps that
 * already hold a chain client pass it as `direct.chain` and skip this entirely.
 */
export async function openChain(network: string): Promise<MetagraphReader> {
  let chain: typeof import('@signal/chain');
  try {
    chain = await import('@signal/chain');
  } catch (cause) {
    throw new ClientError('CLIENT_INVALID_OPTIONS', 'Direct mode needs @signal/chain installed.', {
      details: 'install @signal/chain, or pass a connected chain client as direct.chain',
      cause,
    });
  }
  try {
    return await chain.Subtensor.connect({ network });
  } catch (cause) {
    throw new ClientError('CLIENT_UNAVAILABLE', `Cannot connect to the "${network}" network.`, {
      details: cause instanceof Error ? cause.message.split('\n')[0] : String(cause),
      cause,
      retryable: true,
    });
  }
}
