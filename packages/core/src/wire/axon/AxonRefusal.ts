import { SignalError } from '../../errors/SignalError';

/**
 * A request the axon turns down, with the HTTP status Python's axon uses for the same
 * refusal (400, 401, 403, 404, 408, 413, 500, 503) and the message sent back in the body.
 * Handlers may throw one to answer with a status of their choosing (429, say), and give the
 * typed error behind it as `reasonCode` (`MINER_TIER_LIMIT`, say): the body then carries it as
 * `code` beside `message`, so a caller can tell one refusal from another without parsing text.
 */
export class AxonRefusal extends SignalError<'AXON_REFUSAL'> {
  override name = 'AxonRefusal';

  /** Sent as `Retry-After` (a 503 from a full queue says when to come back). */
  readonly retryAfterSeconds: number | undefined;
  /** The stable code of the error refused for, sent as the body's `code`. */
  readonly reasonCode: string | undefined;

  constructor(
    readonly status: number,
    message: string,
    options: { cause?: unknown; retryAfterSeconds?: number; reasonCode?: string } = {},
  ) {
    super('AXON_REFUSAL', message, { cause: options.cause });
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.reasonCode = options.reasonCode;
  }
}
