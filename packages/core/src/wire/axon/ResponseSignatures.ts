/** The axon side of a response: Python's `{axon nonce}.{dendrite hotkey}.{axon hotkey}.{axon uuid}`, signed. */
export interface ResponseSignature {
  /** The axon nonce the signature covers (nanoseconds, from the axon's nonce clock). */
  readonly nonce: bigint;
  readonly signature: Promise<string>;
  /** The signature once it has arrived. */
  signed: string | undefined;
}

/**
 * `here`: on the calling thread, now (a refusal is written in the turn it is decided);
 * `where free`: wherever a core is free (the signature threads, unless they are behind).
 */
export type SignWhere = 'here' | 'where free';

export type SignResponse = (
  nonce: bigint,
  dendriteHotkey: string,
  where: SignWhere,
) => Promise<string>;

/** Dendrite hotkeys remembered at most; past it, lapsed windows are forgotten. */
const MAX_REMEMBERED = 1024;

/**
 * The response signatures of an axon. Python's response signature covers only the axon's nonce,
 * the dendrite's hotkey and the axon's hotkey and uuid, nothing of the request or the body, so
 * two responses to one dendrite hotkey with the same axon nonce carry the same signature.
 * Responses to one dendrite hotkey started within `windowMs` of each other share one nonce
 * and one signature: the axon nonce is then a clock of `windowMs` resolution (Python's
 * `time.time_ns()` is finer, but nothing reads it as more than a timestamp), and a busy axon
 * signs at most once per window per caller instead of once per request. `windowMs` 0 signs
 * every response with its own nonce.
 */
export class ResponseSignatures {
  private readonly recent = new Map<string, ResponseSignature>();
  private readonly windowNs: bigint;

  constructor(
    windowMs: number,
    private readonly nonceClock: () => bigint,
    private readonly sign: SignResponse,
  ) {
    this.windowNs = BigInt(Math.round(windowMs * 1_000_000));
  }

  /** Dendrite hotkeys whose window this remembers (at most 1 024). */
  get remembered(): number {
    return this.recent.size;
  }

  /**
   * The signature for a response to `dendriteHotkey` (`None` when the request named none):
   * the current window's, or a new one. `here` needs one that has arrived or is made now.
   */
  for(dendriteHotkey: string, where: SignWhere): ResponseSignature {
    const now = this.nonceClock();
    if (this.windowNs === 0n) return this.make(now, dendriteHotkey, where);
    const held = this.recent.get(dendriteHotkey);
    if (
      held !== undefined &&
      now - held.nonce < this.windowNs &&
      (where === 'where free' || held.signed !== undefined)
    ) {
      return held;
    }
    const fresh = this.make(now, dendriteHotkey, where);
    if (this.recent.size >= MAX_REMEMBERED) this.forgetLapsed(now);
    this.recent.set(dendriteHotkey, fresh);
    fresh.signature.catch(() => {
      // A failed signature (a thread died) is not handed to the next response.
      if (this.recent.get(dendriteHotkey) === fresh) this.recent.delete(dendriteHotkey);
    });
    return fresh;
  }

  private make(nonce: bigint, dendriteHotkey: string, where: SignWhere): ResponseSignature {
    const signature = this.sign(nonce, dendriteHotkey, where);
    const made: ResponseSignature = { nonce, signature, signed: undefined };
    signature.then(
      (signed) => {
        made.signed = signed;
      },
      () => undefined,
    );
    return made;
  }

  private forgetLapsed(now: bigint): void {
    for (const [hotkey, held] of this.recent) {
      if (now - held.nonce >= this.windowNs) this.recent.delete(hotkey);
    }
    // Every window still open (a flood of distinct hotkeys): start over rather than grow.
    if (this.recent.size >= MAX_REMEMBERED) this.recent.clear();
  }
}
