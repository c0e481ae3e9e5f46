import { readStateFile } from './readStateFile';
import { type RecoveredState, readStateWithRecovery } from './readStateWithRecovery';
import {
  emptyScoreState,
  SCORE_STATE_SCHEMA_VERSION,
  type ScoreState,
  ScoreStateSchema,
} from './ScoreState';
import { StateFileError } from './StateFileError';
import { writeStateFile } from './writeStateFile';

/** Loads the score state; a missing file is a first start (empty state), a bad one an error. */
export async function loadScoreState(path: string): Promise<ScoreState> {
  return (
    (await readStateFile(path, SCORE_STATE_SCHEMA_VERSION, ScoreStateSchema)) ?? emptyScoreState()
  );
}

/**
 * Loads the score state for a validator starting on it: a damaged file is moved aside and
 * the last good copy (or, without one, an empty state) is used; `recovery` says which.
 */
export async function recoverScoreState(
  path: string,
  options: { now?: number } = {},
): Promise<{ state: ScoreState; recovery: RecoveredState<ScoreState>['recovery'] }> {
  const { value, recovery } = await readStateWithRecovery(
    path,
    SCORE_STATE_SCHEMA_VERSION,
    ScoreStateSchema,
    options,
  );
  return { state: value ?? emptyScoreState(), recovery };
}

/** Validates, then persists atomically: a kill at any moment leaves the old or the new state. */
export async function saveScoreState(path: string, state: ScoreState): Promise<void> {
  const parsed = ScoreStateSchema.safeParse(state);
  if (!parsed.success) {
    throw new StateFileError('STATE_INVALID_UPDATE', 'Refusing to save an invalid score state.', {
      details: parsed.error.message,
      cause: parsed.error,
    });
  }
  await writeStateFile(path, `${JSON.stringify(parsed.data, null, 2)}\n`, { keepPrevious: true });
}
