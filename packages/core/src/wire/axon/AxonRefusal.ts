import { SignalError } from '../../errors/SignalError';

/**
 * A request the axon turns down, with the HTTP status Python's axon uses for the same
 * refusal (400, 401, 403, 404, 408, 413, 500, 503) and the message sent back in the body.
 * Handlers may throw one to answer with a status of their choosing (429, say).
 */
export class AxonRefusal extends SignalError<'AXON_REFUSAL'> {
  override name = 'AxonRefusal';

  constructor(
    readonly status: number,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super('AXON_REFUSAL', message, { cause: options.cause });
  }
}
