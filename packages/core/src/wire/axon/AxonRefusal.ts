/**
 * A request the axon turns down, with the HTTP status Python's axon uses for the same
 * refusal (400, 401, 403, 404, 408, 413, 500, 503) and the message sent back in the body.
 */
export class AxonRefusal extends Error {
  override name = 'AxonRefusal';

  constructor(
    readonly status: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
