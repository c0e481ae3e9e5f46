import { constants } from 'node:fs';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  KeyfileCorruptError,
  KeyfileExistsError,
  KeyfileNotFoundError,
  KeyfilePasswordError,
  KeyfilePasswordMissingError,
} from '../errors/WalletErrors';
import { type KeyfileData, KeyfileDataSchema } from './KeyfileData';
import {
  decryptKeyfileData,
  encryptKeyfileData,
  isNaclEncrypted,
  type NaclKdf,
} from './keyfileEncryption';
import { keypairFromKeyfile } from './keypairFromKeyfile';
import type { WalletKeypair } from './WalletKeypair';
import { passwordEnvVar } from './walletPaths';

/** Supplies the password for an encrypted keyfile; called only when one is needed. */
export type PasswordSource = (keyfilePath: string) => string | Promise<string>;

export interface ReadKeyfileOptions {
  password?: PasswordSource;
  env?: NodeJS.ProcessEnv;
  /**
   * The password-to-key derivation (btwallet's Argon2i by default). A long-running process
   * that unlocks several files may pass a caching wrapper: each derivation costs seconds.
   */
  kdf?: NaclKdf;
}

async function readBytes(keyfilePath: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(keyfilePath));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new KeyfileNotFoundError(keyfilePath);
    throw new KeyfileCorruptError(keyfilePath, `Cannot read: ${(error as Error).message}`, error);
  }
}

/** Reads and (when `$NACL`-encrypted) decrypts a keyfile into its JSON fields. */
export async function readKeyfileData(
  keyfilePath: string,
  options: ReadKeyfileOptions = {},
): Promise<KeyfileData> {
  let bytes = await readBytes(keyfilePath);
  if (isNaclEncrypted(bytes)) {
    const envVar = passwordEnvVar(keyfilePath);
    const fromEnv = (options.env ?? process.env)[envVar];
    const password =
      fromEnv ?? (options.password ? await options.password(keyfilePath) : undefined);
    if (password === undefined) throw new KeyfilePasswordMissingError(keyfilePath, envVar);
    const outcome = await decryptKeyfileData(bytes, password, options.kdf);
    if (!outcome.ok) {
      if (outcome.reason === 'truncated')
        throw new KeyfileCorruptError(keyfilePath, 'Encrypted data is truncated.');
      throw new KeyfilePasswordError(keyfilePath);
    }
    bytes = outcome.data;
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new KeyfileCorruptError(keyfilePath, 'Not JSON (and not $NACL-encrypted).', error);
  }
  const parsed = KeyfileDataSchema.safeParse(json);
  if (!parsed.success) {
    throw new KeyfileCorruptError(
      keyfilePath,
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  }
  return parsed.data;
}

/** Reads a keyfile holding a secret and returns its sr25519 pair. */
export async function readKeypair(
  keyfilePath: string,
  options: ReadKeyfileOptions = {},
): Promise<WalletKeypair> {
  return keypairFromKeyfile(await readKeyfileData(keyfilePath, options), keyfilePath);
}

export interface WriteKeyfileOptions {
  overwrite?: boolean;
  /** Encrypt with this password (btwallet's `$NACL` format). */
  password?: string;
  kdf?: NaclKdf;
}

/**
 * Writes a keyfile with mode 0600 atomically (temp file, fsync, rename), refusing to replace
 * an existing one unless `overwrite` is set.
 */
export async function writeKeyfileData(
  keyfilePath: string,
  data: KeyfileData,
  options: WriteKeyfileOptions = {},
): Promise<void> {
  await mkdir(path.dirname(keyfilePath), { recursive: true, mode: 0o700 });
  const json = new TextEncoder().encode(JSON.stringify(data));
  const bytes =
    options.password === undefined
      ? json
      : await encryptKeyfileData(json, options.password, options.kdf);
  const temp = `${keyfilePath}.${process.pid}.tmp`;
  const handle = await open(
    temp,
    constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC,
    0o600,
  );
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  if (!options.overwrite) {
    // A hard check right before the rename; rename itself would silently replace.
    const exists = await open(keyfilePath, constants.O_RDONLY).then(
      async (h) => {
        await h.close();
        return true;
      },
      () => false,
    );
    if (exists) {
      await rm(temp, { force: true });
      throw new KeyfileExistsError(keyfilePath);
    }
  }
  await rename(temp, keyfilePath);
}
