import { FileGatewayStore, type FileStoreRole } from './file/FileGatewayStore';
import type { GatewayStore } from './GatewayStore';
import { RedisGatewayStore } from './redis/RedisGatewayStore';

export type GatewayStoreLocation = { redisUrl: string; namespace?: string } | { dir: string };

/**
 * Opens the store a location names. `serve` is a gateway admitting requests (it waits for
 * nothing: while Redis is down it answers 503 and reconnects); `admin` is the CLI or the
 * validator (a Redis that cannot be reached fails at once, with a clear error).
 */
export async function openGatewayStore(
  location: GatewayStoreLocation,
  role: FileStoreRole,
  onError?: (error: Error) => void,
): Promise<GatewayStore> {
  if ('redisUrl' in location) {
    return RedisGatewayStore.open({
      url: location.redisUrl,
      ...(location.namespace === undefined ? {} : { namespace: location.namespace }),
      waitForConnection: role === 'admin',
      ...(onError ? { onError } : {}),
    });
  }
  return FileGatewayStore.open(location.dir, { role });
}
