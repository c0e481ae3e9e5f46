import { RAO_PER_TAO } from '@signal/chain';
import { AxonRefusal, type AxonRequestContext, type BlacklistVerdict } from '@signal/core';
import { type AdmissionPolicy, admitCaller, type RequestPurpose } from '../policy/admitCaller';
import { callerPriority } from '../policy/callerPriority';
import type { EpochRateLimiter } from '../policy/EpochRateLimiter';
import type { MetagraphSnapshot } from '../serve/MetagraphWatcher';

export interface CallerGateOptions {
  readonly policy: AdmissionPolicy;
  readonly limiter: EpochRateLimiter;
  readonly metagraph: () => MetagraphSnapshot;
  /** Told about every refusal, for metrics and logs. */
  readonly onRefusal?: (code: string, hotkey: string) => void;
}

/**
 * The miner's policy as axon hooks. `blacklist` (before the signature check, as the
 * Python axon orders it) refuses unregistered callers, callers without a validator permit
 * and, for work, validators below the stake minimum. `priority` runs only once the
 * signature is verified, so it is where a work request is counted against the caller's
 * per-epoch quota (a forged request must not spend someone else's quota); it answers 429
 * beyond the quota and otherwise ranks the request by the caller's stake.
 */
export class CallerGate {
  readonly #options: CallerGateOptions;

  constructor(options: CallerGateOptions) {
    this.#options = options;
  }

  blacklist(
    purpose: RequestPurpose,
  ): (_: unknown, context: AxonRequestContext) => BlacklistVerdict {
    return (_, context) => {
      const hotkey = context.dendrite.hotkey;
      if (!hotkey) return { blacklisted: true, reason: 'the request names no hotkey' };
      const admission = admitCaller(
        hotkey,
        this.#options.metagraph().index,
        this.#options.policy,
        purpose,
      );
      if (admission.admitted) return { blacklisted: false };
      this.#options.onRefusal?.(admission.refusal.code, hotkey);
      return {
        blacklisted: true,
        reason: admission.refusal.shortMessage,
        code: admission.refusal.code,
      };
    };
  }

  priority(purpose: RequestPurpose): (_: unknown, context: AxonRequestContext) => number {
    return (_, context) => {
      const hotkey = context.dendrite.hotkey ?? '';
      const snapshot = this.#options.metagraph();
      if (purpose === 'work') {
        const admission = admitCaller(hotkey, snapshot.index, this.#options.policy, purpose);
        // The metagraph may have refreshed since the blacklist ran: decide on the newest view.
        if (!admission.admitted) {
          this.#options.onRefusal?.(admission.refusal.code, hotkey);
          throw new AxonRefusal(
            403,
            `Forbidden. Key is blacklisted: ${admission.refusal.shortMessage}`,
            { reasonCode: admission.refusal.code },
          );
        }
        const decision = this.#options.limiter.take(admission, snapshot.epoch, snapshot.index);
        if (!decision.allowed) {
          this.#options.onRefusal?.(decision.refusal.code, hotkey);
          const details = decision.refusal.details ? ` ${decision.refusal.details}` : '';
          throw new AxonRefusal(
            429,
            `${decision.refusal.code}: ${decision.refusal.shortMessage}${details}`,
            { reasonCode: decision.refusal.code },
          );
        }
      }
      // Stake in TAO keeps the number exact enough for ordering whatever the stake.
      return Number(callerPriority(hotkey, snapshot.index) / RAO_PER_TAO);
    };
  }
}
