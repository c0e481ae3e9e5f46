import type { Admission } from './admitCaller';
import { validatorQuota } from './epochQuota';
import type { MetagraphIndex } from './MetagraphIndex';
import { PolicyInputError } from './PolicyInputError';
import { RequestRefusedError } from './RequestRefusedError';

export interface EpochRateLimiterOptions {
  /** Work requests per epoch, shared among validators by stake. */
  requestsPerEpoch: number;
  /** Work requests per epoch for each allowlisted direct client. */
  allowlistRequestsPerEpoch: number;
  /** Most distinct callers tracked in one epoch; bounds memory whatever callers do. */
  maxTracked?: number;
}

export type AdmittedCaller = Extract<Admission, { admitted: true }>;

export type RateDecision =
  | { readonly allowed: true; readonly quota: number; readonly remaining: number }
  | { readonly allowed: false; readonly refusal: RequestRefusedError };

export const DEFAULT_MAX_TRACKED = 4096;

/**
 * Per-caller request counts for the current epoch only: a later epoch starts from zero, so
 * memory holds at most `maxTracked` callers. An earlier epoch (a stale block number) counts
 * against the current one rather than resetting anything.
 */
export class EpochRateLimiter {
  readonly #options: Required<EpochRateLimiterOptions>;
  #epoch = -1;
  readonly #counts = new Map<string, number>();

  constructor(options: EpochRateLimiterOptions) {
    const maxTracked = options.maxTracked ?? DEFAULT_MAX_TRACKED;
    for (const [name, value, min] of [
      ['requestsPerEpoch', options.requestsPerEpoch, 1],
      ['allowlistRequestsPerEpoch', options.allowlistRequestsPerEpoch, 0],
      ['maxTracked', maxTracked, 1],
    ] as const) {
      if (!Number.isSafeInteger(value) || value < min) {
        throw new PolicyInputError(`${name} must be an integer >= ${min}, got ${value}.`);
      }
    }
    this.#options = { ...options, maxTracked };
  }

  /** Counts one work request from an admitted caller in `epoch`, or refuses it with 429. */
  take(admission: AdmittedCaller, epoch: number, metagraph: MetagraphIndex): RateDecision {
    const { hotkey } = admission;
    if (!Number.isSafeInteger(epoch) || epoch < 0) {
      throw new PolicyInputError(`epoch must be a non-negative integer, got ${epoch}.`);
    }
    if (epoch > this.#epoch) {
      this.#epoch = epoch;
      this.#counts.clear();
    }
    const quota =
      admission.as === 'validator'
        ? validatorQuota(admission.neuron.stake, metagraph, this.#options.requestsPerEpoch)
        : this.#options.allowlistRequestsPerEpoch;
    const used = this.#counts.get(hotkey);
    if (used === undefined && this.#counts.size >= this.#options.maxTracked) {
      return this.#refuse(
        hotkey,
        `Too many distinct callers this epoch (${this.#options.maxTracked}).`,
      );
    }
    const count = used ?? 0;
    if (count >= quota) {
      return this.#refuse(
        hotkey,
        `Hotkey ${hotkey} used its ${quota} requests for epoch ${this.#epoch}.`,
        admission.as === 'validator'
          ? "The quota is proportional to the validator's share of validator stake."
          : 'Allowlisted clients have a fixed quota per epoch.',
      );
    }
    this.#counts.set(hotkey, count + 1);
    return { allowed: true, quota, remaining: quota - count - 1 };
  }

  /** Callers counted in the current epoch. */
  get tracked(): number {
    return this.#counts.size;
  }

  #refuse(hotkey: string, shortMessage: string, details?: string): RateDecision {
    return {
      allowed: false,
      refusal: new RequestRefusedError('MINER_RATE_LIMITED', hotkey, shortMessage, details),
    };
  }
}
