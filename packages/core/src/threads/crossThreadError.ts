import { SignalError } from '../errors/SignalError';

/** An error as it crosses a thread boundary: plain data the structured clone keeps whole. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
  /** Set for a `SignalError`: its code, short message, details and meta messages. */
  readonly signal:
    | {
        readonly code: string;
        readonly shortMessage: string;
        readonly details: string | undefined;
        readonly metaMessages: readonly string[];
      }
    | undefined;
  /** The error's other own fields (a refusal's `status`, a payload error's `path`, …). */
  readonly fields: Readonly<Record<string, unknown>>;
  readonly cause: SerializedError | { readonly value: unknown } | undefined;
}

/** A class whose instances can be rebuilt on the other side; keyed by its `name`. */
export type ErrorClass = abstract new (...args: never[]) => Error;

const OWN_ERROR_KEYS = new Set([
  'name',
  'message',
  'stack',
  'cause',
  'code',
  'shortMessage',
  'details',
  'metaMessages',
]);
const MAX_CAUSE_DEPTH = 8;

function isCloneable(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  const kind = typeof value;
  if (kind === 'string' || kind === 'number' || kind === 'boolean' || kind === 'bigint') {
    return true;
  }
  if (Array.isArray(value)) return value.every(isCloneable);
  if (kind === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.values(value as object).every(isCloneable);
  }
  return false;
}

/**
 * Turns a thrown value into plain data for `postMessage`. The structured clone alone keeps
 * an `Error`'s message but not its class, its `code` or its other fields, so a typed error
 * would arrive as a bare `Error`; this keeps all of them, and the cause chain.
 */
export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!(error instanceof Error)) {
    return {
      name: 'Error',
      message: String(error),
      stack: undefined,
      signal: undefined,
      fields: {},
      cause: undefined,
    };
  }
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (!OWN_ERROR_KEYS.has(key) && isCloneable(value)) fields[key] = value;
  }
  const cause =
    error.cause === undefined
      ? undefined
      : error.cause instanceof Error && depth < MAX_CAUSE_DEPTH
        ? serializeError(error.cause, depth + 1)
        : isCloneable(error.cause)
          ? { value: error.cause }
          : undefined;
  return {
    name: error.name,
    message: error.message,
    stack: error.stack,
    signal:
      error instanceof SignalError
        ? {
            code: error.code,
            shortMessage: error.shortMessage,
            details: error.details,
            metaMessages: error.metaMessages,
          }
        : undefined,
    fields,
    cause,
  };
}

/**
 * Rebuilds an error `serializeError` made, as an instance of the class of the same name
 * among `classes` (so `instanceof` and `code` hold as they did where it was thrown). An
 * unknown `SignalError` class comes back as a `SignalError` with its name and code; any other
 * unknown error as an `Error`. No constructor runs: the fields are restored as they were.
 */
export function reviveError(
  serialized: SerializedError,
  classes: ReadonlyMap<string, ErrorClass>,
): Error {
  const known = classes.get(serialized.name);
  const prototype = known
    ? known.prototype
    : serialized.signal
      ? SignalError.prototype
      : Error.prototype;
  const error = Object.create(prototype) as Error & Record<string, unknown>;
  const define = (key: string, value: unknown, enumerable: boolean) =>
    Object.defineProperty(error, key, { value, enumerable, writable: true, configurable: true });
  define('message', serialized.message, false);
  define('stack', serialized.stack, false);
  define('name', serialized.name, true);
  if (serialized.signal) {
    define('code', serialized.signal.code, true);
    define('shortMessage', serialized.signal.shortMessage, true);
    define('details', serialized.signal.details, true);
    define('metaMessages', serialized.signal.metaMessages, true);
  }
  for (const [key, value] of Object.entries(serialized.fields)) define(key, value, true);
  const cause = serialized.cause;
  if (cause !== undefined) {
    define('cause', 'value' in cause ? cause.value : reviveError(cause, classes), false);
  }
  return error;
}

/** The lookup `reviveError` takes, from a list of classes. */
export function errorClassMap(classes: Iterable<ErrorClass>): Map<string, ErrorClass> {
  const map = new Map<string, ErrorClass>();
  for (const type of classes) map.set(type.name, type);
  return map;
}
