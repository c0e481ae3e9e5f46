import { checkPayload, type Fail } from '../../payload/checkPayload';
import { fieldPath } from '../../payload/fieldPath';
import { PayloadError } from '../../payload/PayloadError';
import type { PayloadLimits } from '../../payload/PayloadLimits';
import type { LocatedLeaf } from '../../payload/payloadLeaves';
import { schemaRefusal } from '../../payload/schemaRefusal';
import { declaredByteLength } from '../../tensor/BtTensor';
import type { ByteReader } from './ByteReader';
import { FrameError } from './FrameError';
import {
  type FramedPayload,
  FramedPayloadSchema,
  FrameHeaderSchema,
  type TensorRef,
} from './FrameHeader';
import { DEFAULT_MAX_FRAME_HEADER_BYTES, FRAME_MAGIC, FRAME_PREFIX_BYTES } from './frameFormat';

export interface ReadFrameHeaderOptions {
  readonly limits: PayloadLimits;
  /** The body's size when the transport declares it (Content-Length). */
  readonly contentLength?: number | undefined;
  readonly maxHeaderBytes?: number | undefined;
  /** Where the payload sits, for error paths; `condensed` by default. */
  readonly path?: string | undefined;
}

export interface CheckedFrameHeader {
  readonly payload: FramedPayload;
  /** Every tensor in frame order, its ref checked against its declared size and offset. */
  readonly leaves: readonly LocatedLeaf<TensorRef>[];
  readonly dataBytes: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads and vets a frame's prefix and header before any tensor byte is read: the magic, a
 * header length bounded by the ceiling and by the body's declared size, the header as JSON
 * of the frame's shape, the payload against the receiver's limits (`checkPayload`: model,
 * shapes, quantization layout, token counts, the byte ceiling), and every tensor ref
 * against what its dtype and shape declare, laid out back to back. A body too large for
 * the limits is refused here (`FRAME_TOO_LARGE`), before it is buffered.
 */
export async function readFrameHeader(
  reader: ByteReader,
  options: ReadFrameHeaderOptions,
): Promise<CheckedFrameHeader> {
  const root = options.path ?? 'condensed';
  const maxHeader = options.maxHeaderBytes ?? DEFAULT_MAX_FRAME_HEADER_BYTES;
  const { contentLength } = options;
  const ceiling = FRAME_PREFIX_BYTES + maxHeader + options.limits.maxPayloadBytes;
  if (contentLength !== undefined && contentLength > ceiling) {
    throw new FrameError(
      'FRAME_TOO_LARGE',
      'frame',
      `a body of ${contentLength} bytes exceeds the ${ceiling} this payload may take`,
    );
  }
  const prefix = new Uint8Array(FRAME_PREFIX_BYTES);
  if ((await reader.fill(prefix)) < FRAME_PREFIX_BYTES) {
    throw new FrameError(
      'FRAME_TRUNCATED',
      'frame.prefix',
      'the body ends inside the frame prefix',
    );
  }
  if (FRAME_MAGIC.some((byte, i) => prefix[i] !== byte)) {
    throw new FrameError('FRAME_MAGIC', 'frame.magic', 'the body does not start with "SPF1"');
  }
  const headerBytes = new DataView(prefix.buffer).getUint32(4, true);
  const room =
    contentLength === undefined
      ? maxHeader
      : Math.min(maxHeader, contentLength - FRAME_PREFIX_BYTES);
  if (headerBytes === 0 || headerBytes > room) {
    throw new FrameError(
      'FRAME_HEADER_LENGTH',
      'frame.header_length',
      `a header of ${headerBytes} bytes is outside 1..${room}`,
    );
  }
  const dataRoom =
    contentLength === undefined ? 0 : contentLength - FRAME_PREFIX_BYTES - headerBytes;
  if (dataRoom > options.limits.maxPayloadBytes) {
    throw new FrameError(
      'FRAME_TOO_LARGE',
      'frame',
      `Content-Length leaves ${dataRoom} bytes of tensor data, over the limit of ${options.limits.maxPayloadBytes}`,
    );
  }
  const text = new Uint8Array(headerBytes);
  if ((await reader.fill(text)) < headerBytes) {
    throw new FrameError('FRAME_TRUNCATED', 'frame.header', 'the body ends inside the header');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(utf8.decode(text));
  } catch (cause) {
    throw new FrameError('FRAME_HEADER', 'frame.header', 'the header is not UTF-8 JSON', { cause });
  }
  const header = FrameHeaderSchema.safeParse(raw);
  if (!header.success) {
    const issue = header.error.issues[0]!;
    throw new FrameError('FRAME_HEADER', `frame.header.${issue.path.join('.')}`, issue.message, {
      cause: header.error,
    });
  }
  const parsed = FramedPayloadSchema.safeParse(header.data.payload);
  if (!parsed.success) throw schemaRefusal(parsed.error, header.data.payload, root);
  const payload = parsed.data;
  const fail: Fail = (code, at, message) => {
    throw new PayloadError(code, fieldPath(root, at), message);
  };
  let leaves: LocatedLeaf<TensorRef>[];
  try {
    leaves = checkPayload(payload, options.limits, fail) as LocatedLeaf<TensorRef>[];
  } catch (error) {
    if (error instanceof PayloadError && error.code === 'PAYLOAD_TOO_LARGE') {
      throw new FrameError('FRAME_TOO_LARGE', error.path, error.reason, {
        cause: error,
      });
    }
    throw error;
  }
  let offset = 0;
  for (const { at, leaf } of leaves) {
    const declared = declaredByteLength(leaf.dtype, leaf.shape);
    if (leaf.length !== declared) {
      fail(
        'PAYLOAD_BUFFER_SIZE',
        [...at, 'length'],
        `${leaf.length} bytes, but ${leaf.dtype} [${leaf.shape.join(', ')}] declares ${declared}`,
      );
    }
    if (leaf.offset !== offset) {
      fail(
        'PAYLOAD_BUFFER_SIZE',
        [...at, 'offset'],
        `offset ${leaf.offset}, the previous tensor ends at ${offset}`,
      );
    }
    offset += declared;
  }
  if (header.data.data_bytes !== offset) {
    throw new FrameError(
      'FRAME_HEADER',
      'frame.header.data_bytes',
      `data_bytes is ${header.data.data_bytes}, the tensors take ${offset}`,
    );
  }
  const total = FRAME_PREFIX_BYTES + headerBytes + offset;
  if (contentLength !== undefined && contentLength !== total) {
    throw new FrameError(
      'FRAME_CONTENT_LENGTH',
      'frame',
      `Content-Length is ${contentLength}, the header declares a ${total}-byte body`,
    );
  }
  return { payload, leaves, dataBytes: offset };
}
