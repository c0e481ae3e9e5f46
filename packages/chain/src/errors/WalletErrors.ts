import { SignalError } from '@signal/core';

/** The keyfile does not exist. */
export class KeyfileNotFoundError extends SignalError<'KEYFILE_NOT_FOUND'> {
  override name = 'KeyfileNotFoundError';
  constructor(readonly path: string) {
    super('KEYFILE_NOT_FOUND', `No keyfile at ${path}`);
  }
}

/** The keyfile exists but is not a keyfile we can read (bad JSON, missing keys, bad hex). */
export class KeyfileCorruptError extends SignalError<'KEYFILE_CORRUPT'> {
  override name = 'KeyfileCorruptError';
  constructor(
    readonly path: string,
    details: string,
    cause?: unknown,
  ) {
    super('KEYFILE_CORRUPT', `Keyfile ${path} is corrupt`, { details, cause });
  }
}

/** The password does not open the encrypted keyfile (the secretbox MAC did not verify). */
export class KeyfilePasswordError extends SignalError<'KEYFILE_BAD_PASSWORD'> {
  override name = 'KeyfilePasswordError';
  constructor(readonly path: string) {
    super('KEYFILE_BAD_PASSWORD', `Wrong password for ${path}`);
  }
}

/** The keyfile is encrypted and no password was supplied (no env var, no callback). */
export class KeyfilePasswordMissingError extends SignalError<'KEYFILE_PASSWORD_MISSING'> {
  override name = 'KeyfilePasswordMissingError';
  constructor(
    readonly path: string,
    envVar: string,
  ) {
    super('KEYFILE_PASSWORD_MISSING', `Keyfile ${path} is encrypted and no password was given`, {
      details: `Set ${envVar} or pass a password callback.`,
    });
  }
}

/** Creating a key would overwrite an existing file. */
export class KeyfileExistsError extends SignalError<'KEYFILE_EXISTS'> {
  override name = 'KeyfileExistsError';
  constructor(readonly path: string) {
    super('KEYFILE_EXISTS', `Keyfile ${path} already exists`, {
      details: 'Pass overwrite: true to replace it.',
    });
  }
}
