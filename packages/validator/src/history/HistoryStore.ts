import { removeStaleTempFiles } from '@signal/chain';
import type { EvaluationRow } from '@signal/dashboard';
import { readStateWithRecovery, type StateRecovery } from '../state/readStateWithRecovery';
import { StateFileError } from '../state/StateFileError';
import { writeStateFile } from '../state/writeStateFile';
import type { RecordedEpoch } from './EpochRecorder';
import {
  DEFAULT_HISTORY_EPOCHS,
  DEFAULT_HISTORY_EVALUATIONS,
  HISTORY_SCHEMA_VERSION,
  type HistoryFile,
  HistoryFileSchema,
  type MinerHistory,
} from './HistoryFile';

export interface HistoryLimits {
  /** Epochs kept per miner. */
  maxEpochs: number;
  /** Recent evaluations kept per miner. */
  maxEvaluations: number;
}

/** `scores.json` → `scores.history.json`, beside it. */
export function historyPathFor(stateFile: string): string {
  return stateFile.endsWith('.json')
    ? `${stateFile.slice(0, -'.json'.length)}.history.json`
    : `${stateFile}.history.json`;
}

/**
 * What the validator remembers of each miner beyond its moving score, for the dashboard:
 * its last epochs (scores per tier and family, failures by kind, latency percentiles,
 * weight) and its recent evaluations. Bounded per miner by `limits` and to the uids the
 * metagraph holds (a uid whose hotkey changed starts over); saved like the score state,
 * atomically (temp file, fsync, rename), one save at a time, the newest state winning.
 */
export class HistoryStore {
  readonly path: string;
  readonly limits: HistoryLimits;
  /** Set when the history file was found damaged at open: what was used instead. */
  readonly recovery: StateRecovery | undefined;
  readonly #miners = new Map<number, MinerHistory>();
  #saving: Promise<void> = Promise.resolve();
  #version = 0;

  private constructor(
    path: string,
    file: HistoryFile,
    limits: HistoryLimits,
    recovery: StateRecovery | undefined,
  ) {
    this.path = path;
    this.limits = limits;
    this.recovery = recovery;
    for (const miner of file.miners) {
      this.#miners.set(miner.uid, {
        ...miner,
        epochs: miner.epochs.slice(-limits.maxEpochs),
        evaluations: miner.evaluations.slice(0, limits.maxEvaluations),
      });
    }
  }

  /**
   * Loads the history. A missing file is an empty one; a damaged one is moved aside and the
   * last good copy is used, or an empty history when there is none (`recovery` says which).
   */
  static async open(path: string, limits: Partial<HistoryLimits> = {}): Promise<HistoryStore> {
    await removeStaleTempFiles(path);
    const { value, recovery } = await readStateWithRecovery(
      path,
      HISTORY_SCHEMA_VERSION,
      HistoryFileSchema,
    );
    const file = value ?? { schemaVersion: HISTORY_SCHEMA_VERSION, miners: [] };
    return new HistoryStore(
      path,
      file,
      {
        maxEpochs: limits.maxEpochs ?? DEFAULT_HISTORY_EPOCHS,
        maxEvaluations: limits.maxEvaluations ?? DEFAULT_HISTORY_EVALUATIONS,
      },
      recovery,
    );
  }

  /** Changes on every update: cheap to compare for "did anything move". */
  get version(): number {
    return this.#version;
  }

  /** One miner's history, or undefined for a uid never recorded. */
  miner(uid: number): MinerHistory | undefined {
    return this.#miners.get(uid);
  }

  /** Every recorded miner, by uid. */
  miners(): MinerHistory[] {
    return [...this.#miners.values()].sort((a, b) => a.uid - b.uid);
  }

  addEvaluation(uid: number, hotkey: string, row: EvaluationRow): void {
    const miner = this.#entry(uid, hotkey);
    miner.evaluations = [row, ...miner.evaluations].slice(0, this.limits.maxEvaluations);
    this.#version += 1;
  }

  addEpoch(records: readonly RecordedEpoch[]): void {
    for (const record of records) {
      const miner = this.#entry(record.uid, record.hotkey);
      miner.epochs = [...miner.epochs, record.epoch].slice(-this.limits.maxEpochs);
    }
    this.#version += 1;
  }

  /** Drops uids the metagraph no longer holds and clears those now held by another hotkey. */
  reconcile(neurons: ReadonlyArray<{ uid: number; hotkey: string }>): void {
    const hotkeyOf = new Map(neurons.map((neuron) => [neuron.uid, neuron.hotkey]));
    for (const [uid, miner] of this.#miners) {
      if (hotkeyOf.get(uid) !== miner.hotkey) {
        this.#miners.delete(uid);
        this.#version += 1;
      }
    }
  }

  /** Resolves once a snapshot at least as new as the history at call time is on disk. */
  save(): Promise<void> {
    const next = this.#saving.catch(() => undefined).then(() => this.#write());
    this.#saving = next;
    return next;
  }

  async #write(): Promise<void> {
    const parsed = HistoryFileSchema.safeParse({
      schemaVersion: HISTORY_SCHEMA_VERSION,
      miners: this.miners(),
    });
    if (!parsed.success) {
      throw new StateFileError('STATE_INVALID_UPDATE', 'Refusing to save an invalid history.', {
        details: parsed.error.message,
        cause: parsed.error,
      });
    }
    await writeStateFile(this.path, `${JSON.stringify(parsed.data)}\n`, { keepPrevious: true });
  }

  #entry(uid: number, hotkey: string): MinerHistory {
    let miner = this.#miners.get(uid);
    if (!miner || miner.hotkey !== hotkey) {
      miner = { uid, hotkey, epochs: [], evaluations: [] };
      this.#miners.set(uid, miner);
    }
    return miner;
  }
}
