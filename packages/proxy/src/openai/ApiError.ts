import { SignalError, type SignalErrorOptions } from '@signal/core';

/** Every refusal `serve` and `proxy` answer themselves, each with its HTTP status. */
export const API_ERROR_CODES = {
  /** The body is not JSON, or a field is missing, of the wrong type or out of range. */
  API_INVALID_REQUEST: { status: 400, type: 'invalid_request_error' },
  /** No `Authorization`, or a key this server does not accept. */
  API_UNAUTHORIZED: { status: 401, type: 'invalid_request_error' },
  /** No such route, or a model this server does not serve. */
  API_NOT_FOUND: { status: 404, type: 'invalid_request_error' },
  API_METHOD_NOT_ALLOWED: { status: 405, type: 'invalid_request_error' },
  /** The body is larger than the server accepts. */
  API_BODY_TOO_LARGE: { status: 413, type: 'invalid_request_error' },
  /** The caller's key ran out of requests; `Retry-After` says when to come back. */
  API_RATE_LIMITED: { status: 429, type: 'rate_limit_error' },
  /** Something failed on our side. */
  API_INTERNAL: { status: 500, type: 'server_error' },
  /** `--proxy.require-condense` is set and the subnet could not condense the request. */
  API_CONDENSE_FAILED: { status: 502, type: 'server_error' },
  /** The upstream could not be reached, or broke off its answer. */
  API_UPSTREAM_FAILED: { status: 502, type: 'server_error' },
  /** The server is at capacity; `Retry-After` says when to come back. */
  API_OVERLOADED: { status: 503, type: 'server_error' },
  /** The upstream did not answer in time. */
  API_UPSTREAM_TIMEOUT: { status: 504, type: 'server_error' },
} as const;

export type ApiErrorCode = keyof typeof API_ERROR_CODES;

export interface ApiErrorOptions extends SignalErrorOptions {
  /** The request field at fault, as OpenAI names it (`messages[1].content`, `max_tokens`). */
  param?: string | null | undefined;
  /** OpenAI's machine-readable `code` (`invalid_api_key`, `context_length_exceeded`, …). */
  openaiCode?: string | null | undefined;
  /** Seconds the caller should wait (429, 503). */
  retryAfterSeconds?: number | undefined;
}

/** The error object OpenAI answers with, as `{ error: ApiErrorObject }`. */
export interface ApiErrorObject {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

/**
 * A refusal in OpenAI's shape: the HTTP status and `type` follow from the stable `code`,
 * `param` names the field at fault and `openaiCode` is what OpenAI's own clients branch on.
 */
export class ApiError extends SignalError<ApiErrorCode> {
  override name = 'ApiError';
  readonly status: number;
  readonly type: string;
  readonly param: string | null;
  readonly openaiCode: string | null;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ApiErrorCode, shortMessage: string, options: ApiErrorOptions = {}) {
    super(code, shortMessage, options);
    this.status = API_ERROR_CODES[code].status;
    this.type = API_ERROR_CODES[code].type;
    this.param = options.param ?? null;
    this.openaiCode = options.openaiCode ?? null;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** The body to send: `{ error: { message, type, param, code } }`. */
  toBody(): { error: ApiErrorObject } {
    const message = this.details ? `${this.shortMessage} ${this.details}` : this.shortMessage;
    return { error: { message, type: this.type, param: this.param, code: this.openaiCode } };
  }
}

/** Any thrown value as an ApiError: ours pass through, anything else is an opaque 500. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError('API_INTERNAL', 'Internal error.', { cause: error });
}
