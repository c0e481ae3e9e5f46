import { z } from 'zod';
import { ApiKeyAdminError } from '../errors/GatewayKeyError';
import { type ApiKeyInfo, ApiKeyScopeSchema, KeyLimitsSchema } from './ApiKeyRecord';

export const CreateApiKeyParametersSchema = z.strictObject({
  name: z.string().min(1).max(200),
  scopes: z.array(ApiKeyScopeSchema).min(1).default(['condense']),
  limits: KeyLimitsSchema,
});
export type CreateApiKeyParameters = z.input<typeof CreateApiKeyParametersSchema>;

export interface CreatedApiKey {
  /** The full key, shown once: only its salted hash is stored. */
  key: string;
  info: ApiKeyInfo;
}

/** Checks admin input against a schema, naming what was wrong. */
export function parseAdminInput<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  what: string,
): z.output<Schema> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new ApiKeyAdminError('GATEWAY_BAD_KEY_PARAMETERS', `Invalid ${what}.`, {
      details: z.prettifyError(parsed.error),
      cause: parsed.error,
    });
  }
  return parsed.data;
}
