import {
  ApiKeyStore,
  authorizeRequest,
  InvalidApiKeyError,
  RateLimitedError,
  RateLimiter,
} from '@signal/validator';
import { ApiError } from '../openai/ApiError';
import type { CallerAuth } from './CallerAuth';

/** A CallerAuth over a key file, with `reload()` to pick up keys created or revoked since. */
export interface ApiKeyFileAuth extends CallerAuth {
  reload(): Promise<void>;
}

/**
 * Checks `Authorization: Bearer <key>` against a gateway key file: the same file, salted
 * hashes and per-key token buckets the validator's gateway uses (its `ApiKeyStore` and
 * `authorizeRequest`), so `signal` keys made for a gateway work here unchanged and no
 * secret is ever stored in clear.
 */
export async function apiKeyFileAuth(path: string): Promise<ApiKeyFileAuth> {
  const keys = await ApiKeyStore.open(path);
  const limiter = new RateLimiter();
  return {
    check(authorization) {
      try {
        authorizeRequest({ authorization, keys, limiter });
      } catch (error) {
        if (error instanceof InvalidApiKeyError) {
          throw new ApiError('API_UNAUTHORIZED', 'Invalid API key.', {
            details:
              error.reason === 'missing'
                ? 'Send it as "Authorization: Bearer <key>".'
                : 'The key is not one this server accepts.',
            openaiCode: 'invalid_api_key',
            cause: error,
          });
        }
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
    reload: () => keys.reload(),
  };
}
