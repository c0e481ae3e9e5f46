import type { ApiKeyRecord } from './ApiKeyRecord';
import type { ApiKeyStore } from './ApiKeyStore';
import { InvalidApiKeyError } from './GatewayKeyError';
import type { RateLimiter } from './RateLimiter';

export interface AuthorizeRequestParameters {
  /** The raw `Authorization` header, if any. */
  authorization: string | undefined;
  keys: Pick<ApiKeyStore, 'verify'>;
  limiter: RateLimiter;
  /** Tokens this request costs; 1 unless the gateway prices requests by size. */
  cost?: number;
}

/**
 * Authenticates `Authorization: Bearer <key>` and charges the key's token bucket. Throws
 * InvalidApiKeyError (401) or RateLimitedError (429); the HTTP layer maps `status`.
 */
export function authorizeRequest({
  authorization,
  keys,
  limiter,
  cost = 1,
}: AuthorizeRequestParameters): ApiKeyRecord {
  if (authorization === undefined || authorization.trim() === '')
    throw new InvalidApiKeyError('missing');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization.trim());
  if (!match) throw new InvalidApiKeyError('malformed');
  const record = keys.verify(match[1]!);
  limiter.take(record.id, record.rateLimit, cost);
  return record;
}
