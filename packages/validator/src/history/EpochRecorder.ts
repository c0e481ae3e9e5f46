import type { EvaluationRow, FailureCounts, MinerEpoch } from '@signal/dashboard';
import type { Evaluation } from '../evaluate/Evaluation';
import type { QueryOutcome } from '../query/QueryOutcome';
import type { FrameQueryOutcome } from '../query/queryCondenseFrame';
import { failureKind } from './failureKind';
import { latencyPercentiles } from './latencyPercentiles';

const MESSAGE_LIMIT = 240;

/** One request to one miner, as the epoch loop saw it end. */
export interface ObservedRequest {
  uid: number;
  hotkey: string;
  tier: string;
  method: string | null;
  taskId: string;
  family: string;
  /** From the synapse route or the binary route; only its status and latency are kept. */
  outcome: QueryOutcome | FrameQueryOutcome;
  evaluation: Evaluation;
  /** Whether the request counted; an unscored one is sent and timed, not evaluated. */
  scored: boolean;
  /** The response's score when it counted. */
  score: number;
}

interface Running {
  hotkey: string;
  tier: string;
  method: string | null;
  requests: number;
  scored: number;
  valid: number;
  score: number;
  accuracy: number;
  compression: number;
  families: Map<string, { scored: number; score: number; accuracy: number }>;
  failures: FailureCounts;
  latencies: number[];
}

/** What the history records about one miner after one epoch. */
export interface RecordedEpoch {
  uid: number;
  hotkey: string;
  epoch: MinerEpoch;
}

/** Receives each request's row as soon as it is scored, so recent evaluations show live. */
export type EvaluationSink = (uid: number, hotkey: string, row: EvaluationRow) => void;

/**
 * Collects one epoch's requests per miner, as they are scored, for the history: per family
 * means, failures by kind and every answered request's latency; each request's evaluation
 * row goes to `sink` at once. `finish` turns the sums into one `MinerEpoch` per miner queried.
 */
export class EpochRecorder {
  readonly epoch: number;
  readonly #sink: EvaluationSink;
  readonly #miners = new Map<number, Running>();

  constructor(epoch: number, sink: EvaluationSink) {
    this.epoch = epoch;
    this.#sink = sink;
  }

  observe(request: ObservedRequest, now = Date.now()): void {
    const miner = this.#running(request);
    miner.requests += 1;
    const kind = failureKind(request.outcome, request.evaluation);
    if (kind) miner.failures[kind] += 1;
    if (request.outcome.ok) miner.latencies.push(request.outcome.latencyMs);
    const evaluation = request.evaluation;
    if (request.scored) {
      miner.scored += 1;
      miner.score += request.score;
      const family = miner.families.get(request.family) ?? { scored: 0, score: 0, accuracy: 0 };
      miner.families.set(request.family, family);
      family.scored += 1;
      family.score += request.score;
      if (evaluation.valid) {
        miner.valid += 1;
        miner.accuracy += evaluation.accuracy;
        miner.compression += evaluation.compression;
        family.accuracy += evaluation.accuracy;
      }
    }
    this.#sink(request.uid, request.hotkey, {
      epoch: this.epoch,
      at: now,
      task_id: request.taskId,
      family: request.family,
      tier: request.tier,
      method: request.method,
      outcome: kind ?? (request.scored ? 'scored' : 'unscored'),
      code: evaluation.valid || evaluation.code === 'UNSCORED' ? null : evaluation.code,
      message:
        evaluation.valid || evaluation.code === 'UNSCORED'
          ? null
          : evaluation.message.slice(0, MESSAGE_LIMIT),
      score: request.scored ? request.score : null,
      accuracy: evaluation.valid ? evaluation.accuracy : null,
      compression: evaluation.valid ? evaluation.compression : null,
      latency_ms: request.outcome.ok ? request.outcome.latencyMs : null,
    });
  }

  /** The epoch's records; `weights` and `movingScores` are per uid, at the epoch's end. */
  finish(parameters: {
    block: number;
    weights: ReadonlyMap<number, number>;
    movingScores: ReadonlyMap<number, number>;
    now?: number;
  }): RecordedEpoch[] {
    const at = parameters.now ?? Date.now();
    const mean = (sum: number, n: number) => (n === 0 ? 0 : Math.min(1, sum / n));
    return [...this.#miners.entries()].map(([uid, m]) => ({
      uid,
      hotkey: m.hotkey,
      epoch: {
        epoch: this.epoch,
        block: parameters.block,
        at,
        tier: m.tier,
        method: m.method,
        requests: m.requests,
        scored: m.scored,
        valid: m.valid,
        score: mean(m.score, m.scored),
        accuracy: mean(m.accuracy, m.scored),
        compression: mean(m.compression, m.valid),
        families: [...m.families.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([family, f]) => ({
            family,
            scored: f.scored,
            score: mean(f.score, f.scored),
            accuracy: mean(f.accuracy, f.scored),
          })),
        failures: m.failures,
        latency_ms: latencyPercentiles(m.latencies),
        weight: parameters.weights.get(uid) ?? 0,
        moving_score: Math.min(1, parameters.movingScores.get(uid) ?? 0),
      },
    }));
  }

  #running(request: ObservedRequest): Running {
    let miner = this.#miners.get(request.uid);
    if (!miner) {
      miner = {
        hotkey: request.hotkey,
        tier: request.tier,
        method: request.method,
        requests: 0,
        scored: 0,
        valid: 0,
        score: 0,
        accuracy: 0,
        compression: 0,
        families: new Map(),
        failures: { timeout: 0, invalid_payload: 0, refused: 0 },
        latencies: [],
      };
      this.#miners.set(request.uid, miner);
    }
    return miner;
  }
}
