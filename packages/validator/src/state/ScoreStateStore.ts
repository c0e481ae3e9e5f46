import { removeStaleTempFiles } from '@signal/chain';
import type { StateRecovery } from './readStateWithRecovery';
import type { ScoreState } from './ScoreState';
import { recoverScoreState, saveScoreState } from './scoreStateFile';
import {
  type NeuronAssignment,
  reconcileScoreState,
  recordScoredResponse,
  type ScoredResponse,
  type UpdateOptions,
} from './updateScoreState';
import type { WeightCommitRecord } from './WeightCommitRecord';

/** Settled commits kept as history in the state file. */
export const SETTLED_COMMITS_KEPT = 32;

/**
 * The score state of a running validator: updated in memory by the epoch loop and the
 * gateway, saved on demand. Saves are serialised and each writes the newest snapshot, so
 * two callers saving at once can never leave an older state on disk after a newer one.
 */
export class ScoreStateStore {
  readonly path: string;
  /** Set when the state file was found damaged at open: what was used instead. */
  readonly recovery: StateRecovery | undefined;
  #state: ScoreState;
  #saving: Promise<void> = Promise.resolve();

  private constructor(path: string, state: ScoreState, recovery: StateRecovery | undefined) {
    this.path = path;
    this.#state = state;
    this.recovery = recovery;
  }

  /**
   * Loads the state and clears temp files that an earlier, killed process left behind. A
   * damaged file is moved aside and the last good copy is used (or an empty state when there
   * is none); `recovery` records it for the caller to report.
   */
  static async open(path: string): Promise<ScoreStateStore> {
    await removeStaleTempFiles(path);
    const { state, recovery } = await recoverScoreState(path);
    return new ScoreStateStore(path, state, recovery);
  }

  get state(): ScoreState {
    return this.#state;
  }

  record(response: ScoredResponse, options?: UpdateOptions): void {
    this.#state = recordScoredResponse(this.#state, response, options);
  }

  /** Our timelocked commits, oldest first. */
  get commits(): readonly WeightCommitRecord[] {
    return this.#state.commits;
  }

  /** Adds a commit just sent; settled ones beyond the latest SETTLED_COMMITS_KEPT are dropped. */
  recordCommit(record: WeightCommitRecord): void {
    this.replaceCommits([...this.#state.commits, record]);
  }

  /** Replaces the commit list (after a reveal check), keeping every pending commit. */
  replaceCommits(records: readonly WeightCommitRecord[]): void {
    const settled = records.filter((c) => c.status !== 'pending');
    const dropped = new Set(settled.slice(0, Math.max(0, settled.length - SETTLED_COMMITS_KEPT)));
    this.#state = { ...this.#state, commits: records.filter((c) => !dropped.has(c)) };
  }

  reconcile(neurons: readonly NeuronAssignment[], options?: { now?: number }): void {
    this.#state = reconcileScoreState(this.#state, neurons, options);
  }

  /** Resolves once a snapshot at least as new as the state at call time is on disk. */
  save(): Promise<void> {
    const next = this.#saving
      .catch(() => undefined)
      .then(() => saveScoreState(this.path, this.#state));
    this.#saving = next;
    return next;
  }
}
