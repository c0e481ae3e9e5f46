import { ClientError } from './ClientError';

/**
 * Maps a failed HTTP or synapse status to a client error, keeping the code the refusing side
 * gave (`remoteCode`). Only timeouts and server-side failures are retryable: a 4xx says the
 * request itself is wrong, so repeating it is futile.
 */
export function statusError(
  status: number,
  message: string,
  where: string,
  remoteCode?: string,
): ClientError {
  const text = `${where} answered ${status}: ${message}`;
  const base = { details: text, status, remoteCode };
  if (status === 401 || status === 403) {
    return new ClientError('CLIENT_UNAUTHORIZED', `${where} refused our credentials.`, base);
  }
  if (status === 408 || status === 504) {
    return new ClientError('CLIENT_TIMEOUT', `${where} timed out.`, {
      ...base,
      retryable: true,
    });
  }
  if (status >= 500) {
    return new ClientError('CLIENT_UNAVAILABLE', `${where} is unavailable.`, {
      ...base,
      retryable: true,
    });
  }
  const why = remoteCode === undefined ? '' : ` (${remoteCode})`;
  return new ClientError('CLIENT_REJECTED', `${where} rejected the request${why}.`, base);
}
