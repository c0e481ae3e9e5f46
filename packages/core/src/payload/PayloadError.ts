import { SignalError, type SignalErrorOptions } from '../errors/SignalError';

/** Every rule `validatePayload` enforces has its own stable code. */
export const PAYLOAD_ERROR_CODES = [
  /** Not a CondensedPayload at all: wrong types, missing fields, unknown format. */
  'PAYLOAD_SCHEMA',
  /** A tensor's dtype is not one the receiver accepts. */
  'PAYLOAD_DTYPE',
  /** A tensor's declared shape has the wrong rank, batch or an empty dimension. */
  'PAYLOAD_SHAPE',
  /** Layers, or a layer's key and value, disagree in shape or dtype. */
  'PAYLOAD_LAYER_MISMATCH',
  /** Shapes are consistent but do not match the target model's geometry. */
  'PAYLOAD_GEOMETRY_MISMATCH',
  /** Declared token counts contradict each other or the tensor shapes. */
  'PAYLOAD_TOKEN_COUNT',
  /** The payload is larger than the tier allows. */
  'PAYLOAD_TOO_LARGE',
  /** A base64 buffer's length cannot hold, or far exceeds, the data its shape declares. */
  'PAYLOAD_BUFFER_SIZE',
  /** The condensed token count is outside the tier's range. */
  'PAYLOAD_TOKENS_OUT_OF_RANGE',
  /** condensed/original is outside the tier's compression-rate bounds. */
  'PAYLOAD_COMPRESSION_OUT_OF_RANGE',
  /** The payload was made for another model than the one asked for. */
  'PAYLOAD_MODEL_MISMATCH',
  /** A quantized half's axis, group size, codes or scale shapes disagree (wrong group counts). */
  'PAYLOAD_QUANTIZATION',
  /** An int4 half holds an odd number of elements, which two-per-byte packing cannot carry. */
  'PAYLOAD_INT4_ODD_COUNT',
  /** A quantization scale or zero point is NaN or infinite. */
  'PAYLOAD_SCALE_NON_FINITE',
  /** A buffer that must be read to vet the payload (a scale, a zero point) does not decode. */
  'PAYLOAD_UNDECODABLE',
] as const;

export type PayloadErrorCode = (typeof PAYLOAD_ERROR_CODES)[number];

export class PayloadError extends SignalError<PayloadErrorCode> {
  override name = 'PayloadError';
  /** The offending field, e.g. `condensed.layers[3].value.shape`. */
  readonly path: string;
  /** What is wrong with it, without the path. */
  readonly reason: string;

  constructor(
    code: PayloadErrorCode,
    path: string,
    shortMessage: string,
    options?: SignalErrorOptions,
  ) {
    super(code, `${path}: ${shortMessage}`, options);
    this.path = path;
    this.reason = shortMessage;
  }
}
