/*
 * A BtTensor buffer is base64 of a msgpack-numpy map: five bin keys (`nd`, `type`, `kind`,
 * `shape`, `data`), a short dtype string, one msgpack int per dimension (at most 9 bytes
 * each) and the raw data with its bin header. The framing beyond the data therefore stays
 * under 64 bytes plus 9 per dimension, whatever encoder wrote it.
 */
const FRAMING_BYTES = 64;
const BYTES_PER_DIMENSION = 9;

/** Length of the base64 text (with padding) that encodes `bytes` raw bytes. */
export function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

/**
 * The range of base64 lengths a buffer holding `dataBytes` of tensor data may have: fewer
 * characters cannot carry the data (even unpadded), more means the buffer smuggles bytes
 * its declared shape does not account for.
 */
export function bufferLengthBounds(dataBytes: number, rank: number): { min: number; max: number } {
  return {
    min: Math.floor((dataBytes * 4) / 3),
    max: base64Length(dataBytes + FRAMING_BYTES + BYTES_PER_DIMENSION * rank),
  };
}
