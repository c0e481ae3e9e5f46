import { z } from 'zod';

const hex = z.string().regex(/^(0x)?[0-9a-fA-F]*$/, 'expected hex');

/**
 * The JSON inside a Bittensor keyfile. Every field is optional on disk (a coldkeypub holds
 * only the public parts); btwallet writes null for absent ones in some versions.
 */
export const KeyfileDataSchema = z.object({
  secretPhrase: z.string().nullish(),
  secretSeed: hex.nullish(),
  privateKey: hex.nullish(),
  publicKey: hex.nullish(),
  accountId: hex.nullish(),
  ss58Address: z.string().nullish(),
});

export type KeyfileData = z.infer<typeof KeyfileDataSchema>;
