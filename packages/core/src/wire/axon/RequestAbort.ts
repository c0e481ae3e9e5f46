/**
 * A request's cancellation: aborted when the client goes away, the deadline passes or the
 * request ends. Its `AbortSignal` is made only when something asks for it (a handler that
 * reads `context.signal`, a stream waiting on backpressure), already aborted if the request
 * was; most forwards never look, and an `AbortController` per request is garbage a busy
 * axon makes thousands of times a second.
 */
export class RequestAbort {
  private controller: AbortController | undefined;
  private done = false;
  private why: unknown;

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.done) this.controller.abort(this.why);
    }
    return this.controller.signal;
  }

  get aborted(): boolean {
    return this.done;
  }

  /** The first reason wins, as with `AbortController.abort`. */
  abort(reason: unknown): void {
    if (this.done) return;
    this.done = true;
    this.why = reason;
    this.controller?.abort(reason);
  }
}
