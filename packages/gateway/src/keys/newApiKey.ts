import type { ApiKeyRecord } from './ApiKeyRecord';
import { generateApiKey, hashSecret, newSalt } from './apiKeySecret';
import {
  type CreateApiKeyParameters,
  CreateApiKeyParametersSchema,
  parseAdminInput,
} from './CreateApiKeyParameters';

/**
 * A fresh key and the record that stores it, for any store: `taken` says whether an id is
 * already used (48-bit ids collide only by astronomical bad luck; retrying keeps them unique).
 */
export async function newApiKey(
  parameters: CreateApiKeyParameters,
  taken: (id: string) => Promise<boolean> | boolean,
  now: number,
): Promise<{ key: string; record: ApiKeyRecord }> {
  const input = parseAdminInput(CreateApiKeyParametersSchema, parameters, 'API key parameters');
  let generated = generateApiKey();
  while (await taken(generated.id)) generated = generateApiKey();
  const salt = newSalt();
  return {
    key: generated.key,
    record: {
      id: generated.id,
      name: input.name,
      scopes: [...new Set(input.scopes)],
      limits: input.limits,
      createdAt: now,
      revokedAt: null,
      salt,
      hash: hashSecret(salt, generated.secret).toString('hex'),
    },
  };
}
