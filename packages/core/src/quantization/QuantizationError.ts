import { SignalError, type SignalErrorOptions } from '../errors/SignalError';

export const QUANTIZATION_ERROR_CODES = [
  /** The tensor to quantize holds NaN or ±Infinity. */
  'QUANT_NON_FINITE',
  /** A group's zero point or scale does not fit in float16, or a value does not on the way back. */
  'QUANT_RANGE',
  /** Shape, axis, group size, codes or scales disagree with each other. */
  'QUANT_LAYOUT',
] as const;

export type QuantizationErrorCode = (typeof QUANTIZATION_ERROR_CODES)[number];

export class QuantizationError extends SignalError<QuantizationErrorCode> {
  override name = 'QuantizationError';

  constructor(code: QuantizationErrorCode, shortMessage: string, options?: SignalErrorOptions) {
    super(code, shortMessage, options);
  }
}
