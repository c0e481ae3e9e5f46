/**
 * Maps a transport error to the status Python's dendrite reports for it
 * (`DENDRITE_ERROR_MAPPING`): unreachable peers are 503, timeouts 408, the rest 422.
 */
export function failureStatus(error: unknown): { status: number; label: string } {
  const code = (error as { code?: unknown } | undefined)?.code;
  switch (code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EAI_AGAIN':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { status: 503, label: 'Service unavailable' };
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return { status: 503, label: 'Service disconnected' };
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'ETIMEDOUT':
      return { status: 408, label: 'Request timeout' };
    default:
      return { status: 422, label: 'Failed to parse response' };
  }
}
