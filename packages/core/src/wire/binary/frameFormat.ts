/**
 * A payload frame, the body of the binary route (`POST /<Synapse>/binary`):
 *
 * | bytes        | content                                                          |
 * |--------------|------------------------------------------------------------------|
 * | 0–3          | ASCII `SPF1` (Signal payload frame, version 1)                   |
 * | 4–7          | H, the header's byte length, unsigned 32-bit little-endian       |
 * | 8 … 8+H      | the header: UTF-8 JSON `{ "payload": …, "data_bytes": n }`       |
 * | 8+H … end    | n bytes of tensor data: each tensor's raw little-endian C-order  |
 * |              | bytes, back to back, in the order `payloadLeaves` lists them     |
 *
 * `payload` is the condensed payload with every tensor written as
 * `{ dtype, shape, offset, length, sha256 }`: `offset` from the start of the data, `length`
 * exactly what dtype and shape declare, `sha256` the hex digest of those bytes. Layers come
 * in order, so a receiver decodes each layer as soon as its bytes are in. numpy reads a
 * tensor as `np.frombuffer(data, dtype, count, offset).reshape(shape)`.
 */
export const FRAME_MAGIC = Uint8Array.from([0x53, 0x50, 0x46, 0x31]);
export const FRAME_PREFIX_BYTES = 8;
export const FRAME_CONTENT_TYPE = 'application/vnd.signal.payload-frame';
/** The path segment after the synapse name that selects the binary route. */
export const BINARY_ROUTE_SEGMENT = 'binary';
/** Largest header a receiver reads unless told otherwise (a 7B cache's header is ~40 KiB). */
export const DEFAULT_MAX_FRAME_HEADER_BYTES = 1024 * 1024;
/**
 * The `Metadata.limits` key by which a miner advertises the binary route, with the frame
 * version it speaks as value.
 */
export const BINARY_ROUTE_LIMIT = 'binary_route';
export const FRAME_VERSION = 'spf1';
