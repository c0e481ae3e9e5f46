/**
 * The root of every error Signal throws on purpose.
 *
 * `code` is stable across releases, so callers (and remote peers that receive it as a
 * status message) can branch on it; `shortMessage` says what went wrong in one line;
 * `details` carries the context a user needs to fix it. The rendered `message` is
 * "shortMessage", then the details, so logs read well without extra formatting.
 */
export interface SignalErrorOptions {
  details?: string | undefined;
  cause?: unknown;
  metaMessages?: readonly string[] | undefined;
}

export class SignalError<Code extends string = string> extends Error {
  override name = 'SignalError';
  readonly code: Code;
  readonly shortMessage: string;
  readonly details: string | undefined;
  readonly metaMessages: readonly string[];

  constructor(code: Code, shortMessage: string, options: SignalErrorOptions = {}) {
    const lines = [shortMessage, ...(options.metaMessages ?? [])];
    if (options.details) lines.push(`Details: ${options.details}`);
    super(lines.join('\n'), options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.shortMessage = shortMessage;
    this.details = options.details;
    this.metaMessages = options.metaMessages ?? [];
  }

  /** Follows the `cause` chain to the deepest error, or to the first one `predicate` accepts. */
  walk(predicate?: (error: unknown) => boolean): unknown {
    let current: unknown = this;
    while (current instanceof Error) {
      if (predicate?.(current)) return current;
      if (current.cause === undefined) break;
      current = current.cause;
    }
    return predicate ? null : current;
  }
}

/** Narrows an unknown thrown value to a SignalError, optionally with a specific code. */
export function isSignalError<Code extends string>(
  error: unknown,
  code?: Code,
): error is SignalError<Code> {
  return error instanceof SignalError && (code === undefined || error.code === code);
}
