import { ClientError } from './ClientError';

/**
 * Maps a failed HTTP or synapse status to a client error. Only timeouts and server-side
 * failures are retryable: a 4xx says the request itself is wrong, so repeating it is futile.
 */
export function statusError(status: number, message: string, where: string): ClientError {
  const text = `${where} answered ${status}: ${message}`;
  if (status === 401 || status === 403) {
    return new ClientError('CLIENT_UNAUTHORIZED', `${where} refused our credentials.`, {
      details: text,
      status,
    });
  }
  if (status === 408 || status === 504) {
    return new ClientError('CLIENT_TIMEOUT', `${where} timed out.`, {
      details: text,
      status,
      retryable: true,
    });
  }
  if (status >= 500) {
    return new ClientError('CLIENT_UNAVAILABLE', `${where} is unavailable.`, {
      details: text,
      status,
      retryable: true,
    });
  }
  return new ClientError('CLIENT_REJECTED', `${where} rejected the request.`, {
    details: text,
    status,
  });
}
