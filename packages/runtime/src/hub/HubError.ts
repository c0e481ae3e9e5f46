import { SignalError } from '@signal/core';

export type HubErrorCode =
  | 'HUB_REF_INVALID'
  | 'HUB_REPO_NOT_FOUND'
  | 'HUB_REVISION_NOT_FOUND'
  | 'HUB_ENTRY_NOT_FOUND'
  | 'HUB_UNAUTHORIZED'
  | 'HUB_CHECKSUM_MISMATCH'
  | 'HUB_DISK_FULL'
  | 'HUB_OFFLINE_MISS'
  | 'HUB_DOWNLOAD_FAILED'
  | 'HUB_PROTOCOL_ERROR';

/** A pull from the Hugging Face Hub (or a mirror) that failed; the cache is left as it was. */
export class HubError extends SignalError<HubErrorCode> {
  override name = 'HubError';
}
