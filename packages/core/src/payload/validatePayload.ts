import { type BtTensor, declaredByteLength } from '../tensor/BtTensor';
import { decodeTensor } from '../tensor/codec';
import { TensorCodecError } from '../tensor/codecError';
import { bufferLengthBounds } from './bufferLengthBounds';
import { type CondensedPayload, CondensedPayloadSchema } from './CondensedPayload';
import { checkPayload, type Fail, type Segments } from './checkPayload';
import { fieldPath } from './fieldPath';
import { PayloadError, type PayloadErrorCode } from './PayloadError';
import type { PayloadLimits } from './PayloadLimits';
import type { LocatedLeaf } from './payloadLeaves';
import { schemaRefusal } from './schemaRefusal';

export interface ValidatePayloadOptions {
  /** Where the payload sits in its message, for error paths; `condensed` by default. */
  path?: string | undefined;
}

/**
 * Checks an untrusted condensed payload from the JSON wire against the schema and the
 * receiver's limits. Everything but quantization scales is judged from declared shapes and
 * string lengths; the scales and zero points of a quantized cache (small: one pair per
 * group) are decoded and must be finite. No codes or float tensor is decoded, so an
 * oversized or inconsistent payload costs the receiver nothing. Returns the typed payload,
 * or throws a `PayloadError` whose code names the rule that failed and whose path names the field.
 */
export function validatePayload(
  raw: unknown,
  limits: PayloadLimits,
  options: ValidatePayloadOptions = {},
): CondensedPayload {
  const root = options.path ?? 'condensed';
  const fail: Fail = (code: PayloadErrorCode, at: Segments, message: string): never => {
    throw new PayloadError(code, fieldPath(root, at), message);
  };

  const parsed = CondensedPayloadSchema.safeParse(raw);
  if (!parsed.success) throw schemaRefusal(parsed.error, raw, root);
  const payload = parsed.data;
  const leaves = checkPayload(payload, limits, fail) as LocatedLeaf<BtTensor>[];
  checkBuffers(leaves, limits, fail);
  checkScales(leaves, root);
  return payload;
}

/** Each base64 buffer must be able to hold its declared data and little more; all within the ceiling. */
function checkBuffers(leaves: readonly LocatedLeaf<BtTensor>[], limits: PayloadLimits, fail: Fail) {
  const max = limits.maxPayloadBytes;
  let sent = 0;
  for (const { leaf } of leaves) sent += leaf.buffer.length;
  if (sent > max) {
    fail(
      'PAYLOAD_TOO_LARGE',
      [leaves[0]?.at[0] ?? 'layers'],
      `buffers carry ${sent} base64 bytes, over the limit of ${max}`,
    );
  }
  for (const { at, leaf } of leaves) {
    const bytes = declaredByteLength(leaf.dtype, leaf.shape);
    const bounds = bufferLengthBounds(bytes, leaf.shape.length);
    const length = leaf.buffer.length;
    if (length < bounds.min || length > bounds.max) {
      fail(
        'PAYLOAD_BUFFER_SIZE',
        [...at, 'buffer'],
        `${length} base64 characters cannot encode the ${bytes} bytes its ${leaf.dtype} [${leaf.shape.join(', ')}] shape declares (expected ${bounds.min}..${bounds.max})`,
      );
    }
  }
}

/** Decodes every quantization scale and zero point; a NaN or infinity refuses the payload. */
function checkScales(leaves: readonly LocatedLeaf<BtTensor>[], root: string): void {
  for (const { at, leaf, role } of leaves) {
    if (role !== 'scale' && role !== 'zero') continue;
    const path = fieldPath(root, at);
    try {
      decodeTensor(leaf, { maxBytes: declaredByteLength(leaf.dtype, leaf.shape) });
    } catch (cause) {
      if (!(cause instanceof TensorCodecError)) throw cause;
      const nonFinite = cause.code === 'TENSOR_NON_FINITE';
      throw new PayloadError(
        nonFinite ? 'PAYLOAD_SCALE_NON_FINITE' : 'PAYLOAD_UNDECODABLE',
        path,
        nonFinite ? `a ${role} is not finite (${cause.shortMessage})` : cause.shortMessage,
        { details: cause.details, cause },
      );
    }
  }
}
