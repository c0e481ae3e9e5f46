/**
 * Decides whether a caller may use the server, from its `Authorization` header. It throws
 * an ApiError (401 for a bad key, 429 with `Retry-After` for a spent one) to refuse.
 */
export interface CallerAuth {
  check(authorization: string | undefined): void | Promise<void>;
}

/** Lets every caller in: for a server on loopback, or one whose upstream checks the key. */
export const OPEN_AUTH: CallerAuth = { check: () => undefined };
