import { AtomicWriteError, type AtomicWriteOptions, atomicWriteFile } from '@signal/chain';
import { StateFileError } from './StateFileError';

/** Writes a state file atomically; a failed write is a `STATE_IO` error and leaves the old file. */
export async function writeStateFile(
  path: string,
  text: string,
  options: AtomicWriteOptions = {},
): Promise<void> {
  try {
    await atomicWriteFile(path, text, options);
  } catch (error) {
    if (!(error instanceof AtomicWriteError)) throw error;
    throw new StateFileError('STATE_IO', error.shortMessage, {
      details: error.details,
      cause: error,
    });
  }
}
