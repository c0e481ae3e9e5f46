import { homedir } from 'node:os';
import { join } from 'node:path';
import { integerIn } from '@signal/chain';
import { Option } from 'commander';
import type { GatewayStoreLocation } from '../store/openGatewayStore';
import { GatewayCliError } from './GatewayCliError';

/** The flags that say where the gateway store is, shared by every `signal gateway` command. */
export interface StoreFlags {
  netuid?: number;
  'gateway.redisUrl'?: string;
  'gateway.storeDir'?: string;
}

export const ENV_PREFIX = 'SIGNAL_GATEWAY';

export function storeOptions(withNetuid: boolean): Option[] {
  return [
    ...(withNetuid
      ? [
          new Option('--netuid <n>', 'subnet uid')
            .env(`${ENV_PREFIX}_NETUID`)
            .argParser(integerIn('--netuid', 0, 65_535)),
        ]
      : []),
    new Option(
      '--gateway.redis-url <url>',
      'share the store through Redis: redis://[user:password@]host:port[/db], rediss:// for TLS',
    ).env(`${ENV_PREFIX}_REDIS_URL`),
    new Option(
      '--gateway.store-dir <dir>',
      'file store directory, for one gateway process [~/.signal/gateway/netuid-N]',
    ).env(`${ENV_PREFIX}_STORE_DIR`),
  ];
}

/** Where the store is: Redis when a URL is given, else the file store's directory. */
export function storeLocation(flags: StoreFlags): GatewayStoreLocation {
  const netuid = flags.netuid;
  if (netuid === undefined) {
    throw new GatewayCliError('GATEWAY_CLI_USAGE', 'No subnet given.', {
      details: `Pass --netuid or set ${ENV_PREFIX}_NETUID.`,
    });
  }
  if (flags['gateway.redisUrl'] !== undefined && flags['gateway.storeDir'] !== undefined) {
    throw new GatewayCliError('GATEWAY_CLI_USAGE', 'Two gateway stores given.', {
      details: 'Pass either --gateway.redis-url or --gateway.store-dir, not both.',
    });
  }
  if (flags['gateway.redisUrl'] !== undefined) {
    return { redisUrl: flags['gateway.redisUrl'], namespace: `signal:gateway:${netuid}` };
  }
  return {
    dir: flags['gateway.storeDir'] ?? join(homedir(), '.signal', 'gateway', `netuid-${netuid}`),
  };
}
