import type { ChainClient } from './ChainClient';
import { LocalChain } from './local/LocalChain';
import { Subtensor } from './subtensor/Subtensor';

export interface OpenChainOptions {
  /** `finney`, `test`, `local`, a ws(s):// URL, or `local:<file>` for a LocalChain state file. */
  network: string;
  /** Subtensor: deadline for connecting and for each call. */
  timeoutMs?: number;
  /** LocalChain: open the file without writing it (no block timer). */
  readOnly?: boolean;
  /** LocalChain: milliseconds per block (0 = advance by hand). */
  blockTimeMs?: number;
}

/** The prefix `--subtensor.network` uses to name a LocalChain file instead of a node. */
export const LOCAL_CHAIN_PREFIX = 'local:';

/**
 * Opens the ChainClient a `--subtensor.network` value names. A LocalChain file may be shared:
 * a miner and a validator pointed at the same `local:<file>` see each other's writes.
 */
export async function openChain(options: OpenChainOptions): Promise<ChainClient> {
  if (options.network.startsWith(LOCAL_CHAIN_PREFIX)) {
    return LocalChain.open({
      file: options.network.slice(LOCAL_CHAIN_PREFIX.length),
      ...(options.readOnly === undefined ? {} : { readOnly: options.readOnly }),
      ...(options.blockTimeMs === undefined ? {} : { blockTimeMs: options.blockTimeMs }),
    });
  }
  return Subtensor.connect({
    network: options.network,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
}
