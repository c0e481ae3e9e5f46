import { hash } from 'node:crypto';
import { WireError } from './WireError';

const LONE_SURROGATE = /\p{Cs}/u;

/**
 * bittensor's `get_hash`: sha3-256 of the UTF-8 bytes, as lowercase hex. Node's OpenSSL
 * digest is used because it is about ten times faster than a JS Keccak, and an axon
 * hashes every request and response (four digests each for a one-field synapse); the
 * one-shot `hash` skips building a `Hash` object, about twice as fast for short fields.
 * Python refuses to encode a lone surrogate, so we refuse too instead of hashing a
 * replacement character.
 */
export function sha3Hex(text: string): string {
  if (LONE_SURROGATE.test(text)) {
    throw new WireError('WIRE_PY_VALUE', 'Text with a lone surrogate cannot be UTF-8 encoded.', {
      details: 'Python raises UnicodeEncodeError for it, so no peer could hash it.',
    });
  }
  return hash('sha3-256', text, 'hex');
}
