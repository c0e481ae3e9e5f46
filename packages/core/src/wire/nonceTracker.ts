import { WireError } from './WireError';

/** Python's `ALLOWED_DELTA`: a first nonce may be this much older than now, plus the timeout. */
export const ALLOWED_NONCE_DELTA_NS = 4_000_000_000n;
const NS_PER_SECOND = 1_000_000_000;

export interface NonceTrackerOptions {
  /** Most (hotkey, uuid) pairs remembered at once; the oldest are forgotten beyond it. */
  readonly maxEntries?: number;
  /** Clock in nanoseconds since the epoch. */
  readonly nowNs?: () => bigint;
}

function systemNowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

/**
 * Replay protection as Python's axon does it (`default_verify`, SDK ≥ 7.2): per
 * `hotkey:uuid` the nonce must strictly increase, and a pair seen for the first time must
 * carry a nonce newer than `now - 4 s - timeout`.
 *
 * Memory is bounded: entries live in least-recently-used order and the oldest is dropped
 * when full. Dropping is made safe by a floor: a forgotten pair's last nonce becomes the
 * minimum for any unknown pair, so no request it already accepted can be replayed. Honest
 * clients are unaffected because their nonces are timestamps newer than any forgotten one.
 */
export class NonceTracker {
  private readonly last = new Map<string, bigint>();
  private floor = 0n;
  private readonly maxEntries: number;
  private readonly nowNs: () => bigint;

  constructor(options: NonceTrackerOptions = {}) {
    this.maxEntries = options.maxEntries ?? 100_000;
    this.nowNs = options.nowNs ?? systemNowNs;
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1) {
      throw new RangeError('maxEntries must be a positive integer');
    }
  }

  get size(): number {
    return this.last.size;
  }

  /**
   * Throws `WIRE_NONCE` when `nonce` would be refused for the pair, and records nothing: the
   * axon checks before it spends a signature verification on the request.
   */
  check(hotkey: string, uuid: string, nonce: bigint, timeoutSeconds: number): void {
    const key = `${hotkey}:${uuid}`;
    const previous = this.last.get(key);
    if (previous !== undefined) {
      if (nonce <= previous) {
        throw new WireError('WIRE_NONCE', 'Nonce is too old, a newer one was last processed.', {
          details: `nonce ${nonce} <= last ${previous} for ${key}`,
        });
      }
      return;
    }
    const now = this.nowNs();
    const timeoutNs = BigInt(
      Math.round((Number.isFinite(timeoutSeconds) ? timeoutSeconds : 0) * NS_PER_SECOND),
    );
    const windowStart = now - ALLOWED_NONCE_DELTA_NS - timeoutNs;
    if (nonce <= windowStart) {
      const age = Number(now - nonce) / NS_PER_SECOND;
      const allowed = Number(ALLOWED_NONCE_DELTA_NS + timeoutNs) / NS_PER_SECOND;
      throw new WireError('WIRE_NONCE', 'Nonce is too old.', {
        details: `acceptable delta is ${allowed.toFixed(2)} seconds but request was ${age.toFixed(2)} seconds old`,
      });
    }
    if (nonce <= this.floor) {
      throw new WireError('WIRE_NONCE', 'Nonce is older than a forgotten one.', {
        details: 'the tracker is full; send a fresh nonce',
      });
    }
  }

  /**
   * Accepts `nonce` for the pair and records it, or throws `WIRE_NONCE` saying why not.
   * Call it only after the signature checked out, so forged requests leave no trace.
   */
  admit(hotkey: string, uuid: string, nonce: bigint, timeoutSeconds: number): void {
    this.check(hotkey, uuid, nonce, timeoutSeconds);
    const key = `${hotkey}:${uuid}`;
    if (this.last.has(key)) this.last.delete(key);
    else while (this.last.size >= this.maxEntries) this.forgetOldest();
    this.last.set(key, nonce);
  }

  private forgetOldest(): void {
    const oldest = this.last.entries().next();
    if (oldest.done) return;
    const [key, nonce] = oldest.value;
    this.last.delete(key);
    if (nonce > this.floor) this.floor = nonce;
  }
}
