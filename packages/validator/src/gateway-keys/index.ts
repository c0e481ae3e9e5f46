export {
  API_KEYS_SCHEMA_VERSION,
  type ApiKeyFile,
  ApiKeyFileSchema,
  type ApiKeyRecord,
  ApiKeyRecordSchema,
  type RateLimit,
  RateLimitSchema,
} from './ApiKeyRecord';
export {
  ApiKeyStore,
  type CreateApiKeyParameters,
  CreateApiKeyParametersSchema,
  type CreatedApiKey,
} from './ApiKeyStore';
export { type ParsedApiKey, parseApiKey } from './apiKeySecret';
export { type AuthorizeRequestParameters, authorizeRequest } from './authorizeRequest';
export {
  ApiKeyAdminError,
  type ApiKeyAdminErrorCode,
  InvalidApiKeyError,
  type InvalidKeyReason,
  RateLimitedError,
} from './GatewayKeyError';
export { RateLimiter, type RateLimiterOptions } from './RateLimiter';
export { type TakeResult, type TokenBucketState, takeFromBucket } from './tokenBucket';
