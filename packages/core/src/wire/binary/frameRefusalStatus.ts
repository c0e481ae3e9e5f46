import { PayloadError } from '../../payload/PayloadError';
import { FrameError } from './FrameError';

/**
 * The HTTP status a receiver reports for a refused frame: 413 when it is larger than the
 * receiver accepts, 422 for any other fault of the sender's.
 */
export function frameRefusalStatus(error: unknown): number {
  if (error instanceof FrameError && error.code === 'FRAME_TOO_LARGE') return 413;
  if (error instanceof PayloadError && error.code === 'PAYLOAD_TOO_LARGE') return 413;
  return 422;
}
