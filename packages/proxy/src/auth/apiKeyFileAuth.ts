import {
  authenticate,
  FileGatewayStore,
  InvalidApiKeyError,
  RateLimitedError,
} from '@signal/gateway';
import { ApiError } from '../openai/ApiError';
import type { CallerAuth } from './CallerAuth';

/** A CallerAuth over a gateway file store; `close()` releases the store. */
export interface ApiKeyFileAuth extends CallerAuth {
  close(): Promise<void>;
}

/**
 * Checks `Authorization: Bearer <key>` against a gateway file store (`@signal/gateway`): the
 * same salted hashes, scopes and per-key requests-per-minute windows the gateway uses, so
 * `signal gateway keys` made for a gateway work here unchanged, a revocation applies within
 * the store's poll, and no secret is ever stored in clear. The proxy serves from the
 * directory alone: a gateway serving from the same one is refused (`GATEWAY_STORE_LOCKED`).
 */
export async function apiKeyFileAuth(dir: string): Promise<ApiKeyFileAuth> {
  const store = await FileGatewayStore.open(dir, { role: 'serve' });
  const unauthorized = (error: InvalidApiKeyError) =>
    new ApiError('API_UNAUTHORIZED', 'Invalid API key.', {
      details:
        error.reason === 'missing'
          ? 'Send it as "Authorization: Bearer <key>".'
          : 'The key is not one this server accepts.',
      openaiCode: 'invalid_api_key',
      cause: error,
    });
  return {
    async check(authorization) {
      try {
        const key = await authenticate(authorization, (id) => store.credential(id));
        const admission = await store.admit({ keyId: key.id, reserveTokens: 0 });
        if (admission.admitted) return;
        if (admission.reason === 'unknown' || admission.reason === 'revoked') {
          throw new InvalidApiKeyError(admission.reason);
        }
        throw new RateLimitedError(key.id, admission.reason, admission.retryAfterMs);
      } catch (error) {
        if (error instanceof InvalidApiKeyError) throw unauthorized(error);
        if (error instanceof RateLimitedError) {
          throw new ApiError('API_RATE_LIMITED', 'Rate limit exceeded for this API key.', {
            openaiCode: 'rate_limit_exceeded',
            retryAfterSeconds: error.retryAfterMs / 1000,
            cause: error,
          });
        }
        throw error;
      }
    },
    close: () => store.close(),
  };
}
