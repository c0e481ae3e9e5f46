import { InvalidApiKeyError } from '../errors/GatewayKeyError';
import type { ApiKeyCredential } from './ApiKeyRecord';
import { hashSecret, parseApiKey, secretMatches } from './apiKeySecret';

// Verifying an unknown id still hashes and compares against this, so a caller cannot time
// the difference between "no such key" and "wrong secret".
const DECOY_SALT = '00'.repeat(16);
const DECOY_HASH = hashSecret(DECOY_SALT, 'decoy').toString('hex');

/**
 * Authenticates `Authorization: Bearer <key>`: the id finds the credential, the secret is
 * checked against its salted hash in constant time. Throws InvalidApiKeyError (401).
 * Revocation and limits are the store's admission, not checked here.
 */
export async function authenticate(
  authorization: string | undefined,
  credential: (id: string) => Promise<ApiKeyCredential | undefined>,
): Promise<ApiKeyCredential> {
  if (authorization === undefined || authorization.trim() === '') {
    throw new InvalidApiKeyError('missing');
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization.trim());
  const parsed = match ? parseApiKey(match[1]!) : undefined;
  if (!parsed) throw new InvalidApiKeyError('malformed');
  const found = await credential(parsed.id);
  const matches = found
    ? secretMatches(found.salt, found.hash, parsed.secret)
    : secretMatches(DECOY_SALT, DECOY_HASH, parsed.secret);
  if (!found) throw new InvalidApiKeyError('unknown');
  if (!matches) throw new InvalidApiKeyError('mismatch');
  return found;
}
