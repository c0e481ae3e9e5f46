import { sha3_256 } from '@noble/hashes/sha3';
import { bytesToHex } from '@noble/hashes/utils';
import { WireError } from './WireError';

const LONE_SURROGATE = /\p{Cs}/u;

/**
 * bittensor's `get_hash`: sha3-256 of the UTF-8 bytes, as lowercase hex. Python refuses to
 * encode a lone surrogate, so we refuse too instead of hashing a replacement character.
 */
export function sha3Hex(text: string): string {
  if (LONE_SURROGATE.test(text)) {
    throw new WireError('WIRE_PY_VALUE', 'Text with a lone surrogate cannot be UTF-8 encoded.', {
      details: 'Python raises UnicodeEncodeError for it, so no peer could hash it.',
    });
  }
  return bytesToHex(sha3_256(new TextEncoder().encode(text)));
}
