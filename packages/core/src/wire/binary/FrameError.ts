import { SignalError, type SignalErrorOptions } from '../../errors/SignalError';

/** Every way a binary payload frame can be refused on arrival. Codes are stable. */
export const FRAME_ERROR_CODES = [
  /** The body does not start with the frame's magic bytes. */
  'FRAME_MAGIC',
  /** The header length prefix is zero, over the ceiling, or beyond the body's size. */
  'FRAME_HEADER_LENGTH',
  /** The header is not UTF-8 JSON of the frame header's shape. */
  'FRAME_HEADER',
  /** The body (as declared or as it streams) is larger than the receiver accepts. */
  'FRAME_TOO_LARGE',
  /** The body's Content-Length disagrees with the sizes its header declares. */
  'FRAME_CONTENT_LENGTH',
  /** The stream ended before a tensor's bytes did. */
  'FRAME_TRUNCATED',
  /** A tensor's bytes do not hash to the sha256 its header declares. */
  'FRAME_SHA256',
  /** Bytes follow the last tensor. */
  'FRAME_TRAILING_BYTES',
] as const;

export type FrameErrorCode = (typeof FRAME_ERROR_CODES)[number];

export class FrameError extends SignalError<FrameErrorCode> {
  override name = 'FrameError';
  /** The offending field: a tensor (`condensed.layers[3].value.codes`) or a part of the frame (`frame.header_length`). */
  readonly path: string;

  constructor(
    code: FrameErrorCode,
    path: string,
    shortMessage: string,
    options?: SignalErrorOptions,
  ) {
    super(code, `${path}: ${shortMessage}`, options);
    this.path = path;
  }
}
