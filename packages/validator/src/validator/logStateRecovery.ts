import type { Logger } from 'pino';
import type { StateRecovery } from '../state/readStateWithRecovery';

/**
 * Reports a state file found damaged at start: a warning when the last good copy was used,
 * an error (naming the file and where its damaged bytes were moved) when the state starts
 * from zero. Either way the validator runs on.
 */
export function logStateRecovery(logger: Logger, what: string, recovery: StateRecovery): void {
  const damaged = recovery.damaged.map((entry) => ({
    file: entry.file,
    movedTo: entry.movedTo,
    problem: entry.error.details
      ? `${entry.error.shortMessage} ${entry.error.details}`
      : entry.error.shortMessage,
  }));
  if (recovery.startedFrom !== null) {
    logger.warn(
      { file: recovery.file, startedFrom: recovery.startedFrom, damaged },
      `${what} ${recovery.file} was ${recovery.fileMissing ? 'missing' : 'damaged'}; started from its last good copy ${recovery.startedFrom}`,
    );
    return;
  }
  logger.error(
    { file: recovery.file, damaged },
    `${what} ${recovery.file} was damaged and no good copy was left; started from zero (the damaged files were moved aside)`,
  );
}
