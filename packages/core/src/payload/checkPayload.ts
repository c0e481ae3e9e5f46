import { groupLayout } from '../quantization/GroupLayout';
import { codeByteLength, QUANTIZATION_SCHEMES } from '../quantization/QuantizationScheme';
import { declaredByteLength, elementCount } from '../tensor/BtTensor';
import {
  type AnyCondensedPayload,
  type AnyKvPayload,
  type AnyKvTensor,
  type AnyQuantizedTensor,
  isQuantized,
} from './CondensedPayload';
import type { PayloadErrorCode } from './PayloadError';
import { DEFAULT_PAYLOAD_DTYPES, type PayloadLimits } from './PayloadLimits';
import { type LocatedLeaf, payloadLeaves } from './payloadLeaves';
import { utf8ByteLength } from './utf8ByteLength';

export type Segments = ReadonlyArray<PropertyKey>;
export type Fail = (code: PayloadErrorCode, at: Segments, message: string) => never;

/** The axes a KV half may be grouped along: tokens (per channel) or channels (per token). */
const KV_QUANTIZATION_AXES: readonly number[] = [2, 3];

/**
 * Every rule a condensed payload must meet that its declared dtypes and shapes decide, in
 * whatever form its tensors travel: model, dtypes, shapes, layer consistency, quantization
 * layout (axes, group counts, code and scale sizes), token counts, the declared raw size
 * against the byte ceiling and the tier's ranges. Reads no tensor data.
 */
export function checkPayload(
  payload: AnyCondensedPayload,
  limits: PayloadLimits,
  fail: Fail,
): LocatedLeaf[] {
  if (limits.expectedModel !== undefined && payload.model !== limits.expectedModel) {
    fail(
      'PAYLOAD_MODEL_MISMATCH',
      ['model'],
      `payload is for "${payload.model}", expected "${limits.expectedModel}"`,
    );
  }
  const leaves = payloadLeaves(payload);
  const allowed = limits.allowedDtypes ?? DEFAULT_PAYLOAD_DTYPES;
  for (const { at, leaf, role } of leaves) {
    const required = role === 'codes' ? 'uint8' : role === 'float' ? undefined : 'float16';
    if (required !== undefined && leaf.dtype !== required) {
      fail('PAYLOAD_DTYPE', [...at, 'dtype'], `dtype ${leaf.dtype} must be ${required}`);
    }
    if (required === undefined && !allowed.includes(leaf.dtype)) {
      fail(
        'PAYLOAD_DTYPE',
        [...at, 'dtype'],
        `dtype ${leaf.dtype} is not one of ${allowed.join(', ')}`,
      );
    }
  }

  if (payload.format === 'kv') checkKv(payload, limits, fail);
  else if (payload.format === 'soft') checkSoft(payload.embeddings.shape, payload, limits, fail);

  if (payload.condensed_tokens > payload.original_tokens) {
    fail(
      'PAYLOAD_TOKEN_COUNT',
      ['condensed_tokens'],
      `condensed_tokens (${payload.condensed_tokens}) exceeds original_tokens (${payload.original_tokens})`,
    );
  }
  checkDeclaredSize(payload, leaves, limits, fail);
  checkTierRanges(payload, limits, fail);
  return leaves;
}

/** Raw bytes the tensors declare: what a binary frame carries, before any encoding. */
export function declaredPayloadBytes(leaves: readonly LocatedLeaf[]): number {
  let total = 0;
  for (const { leaf } of leaves) total += declaredByteLength(leaf.dtype, leaf.shape);
  return total;
}

function checkShape(
  shape: readonly number[],
  at: Segments,
  rank: number,
  batched: boolean,
  fail: Fail,
): void {
  const where = [...at, 'shape'];
  if (shape.length !== rank) {
    fail('PAYLOAD_SHAPE', where, `expected rank ${rank}, got [${shape.join(', ')}]`);
  }
  if (batched && shape[0] !== 1) {
    fail('PAYLOAD_SHAPE', where, `expected batch 1, got [${shape.join(', ')}]`);
  }
  if (shape.some((dim) => dim <= 0)) {
    fail('PAYLOAD_SHAPE', where, `every dimension must be positive, got [${shape.join(', ')}]`);
  }
}

/** The element type a half holds: a float dtype, or a quantization scheme. */
function kindOf(tensor: AnyKvTensor): string {
  return isQuantized(tensor) ? tensor.quantization : tensor.dtype;
}

function checkKv(payload: AnyKvPayload, limits: PayloadLimits, fail: Fail): void {
  const first = payload.layers[0]!.key;
  const firstKind = kindOf(first);
  payload.layers.forEach((layer, index) => {
    for (const half of ['key', 'value'] as const) {
      const tensor = layer[half];
      const at = ['layers', index, half];
      checkShape(tensor.shape, at, 4, true, fail);
      const kind = kindOf(tensor);
      if (kind !== firstKind) {
        fail(
          'PAYLOAD_LAYER_MISMATCH',
          [...at, isQuantized(tensor) ? 'quantization' : 'dtype'],
          `${kind} differs from layers[0].key's ${firstKind}`,
        );
      }
      if (tensor.shape.some((dim, axis) => dim !== first.shape[axis])) {
        fail(
          'PAYLOAD_LAYER_MISMATCH',
          [...at, 'shape'],
          `shape [${tensor.shape.join(', ')}] differs from layers[0].key's [${first.shape.join(', ')}]`,
        );
      }
      if (isQuantized(tensor)) checkQuantized(tensor, at, limits, fail);
    }
  });

  const [, kvHeads, tokens, headDim] = first.shape as [number, number, number, number];
  const geometry = limits.geometry ?? {};
  if (geometry.layers !== undefined && payload.layers.length !== geometry.layers) {
    fail(
      'PAYLOAD_GEOMETRY_MISMATCH',
      ['layers'],
      `expected ${geometry.layers} layers, got ${payload.layers.length}`,
    );
  }
  if (geometry.kvHeads !== undefined && kvHeads !== geometry.kvHeads) {
    fail(
      'PAYLOAD_GEOMETRY_MISMATCH',
      ['layers', 0, 'key', 'shape'],
      `expected ${geometry.kvHeads} KV heads, got ${kvHeads}`,
    );
  }
  if (geometry.headDim !== undefined && headDim !== geometry.headDim) {
    fail(
      'PAYLOAD_GEOMETRY_MISMATCH',
      ['layers', 0, 'key', 'shape'],
      `expected head_dim ${geometry.headDim}, got ${headDim}`,
    );
  }

  if (payload.kept !== tokens) {
    fail(
      'PAYLOAD_TOKEN_COUNT',
      ['kept'],
      `kept (${payload.kept}) differs from the tensors' token dimension (${tokens})`,
    );
  }
  if (payload.kept !== payload.condensed_tokens) {
    fail(
      'PAYLOAD_TOKEN_COUNT',
      ['condensed_tokens'],
      `condensed_tokens (${payload.condensed_tokens}) differs from kept (${payload.kept})`,
    );
  }
  if (payload.original_length < payload.kept) {
    fail(
      'PAYLOAD_TOKEN_COUNT',
      ['original_length'],
      `original_length (${payload.original_length}) is below kept (${payload.kept})`,
    );
  }
}

/** Axis, group counts and the sizes of codes, scale and zero of one quantized half. */
function checkQuantized(
  tensor: AnyQuantizedTensor,
  at: Segments,
  limits: PayloadLimits,
  fail: Fail,
): void {
  const allowed = limits.allowedQuantizations ?? QUANTIZATION_SCHEMES;
  if (!allowed.includes(tensor.quantization)) {
    fail(
      'PAYLOAD_DTYPE',
      [...at, 'quantization'],
      `${tensor.quantization} is not one of ${allowed.join(', ') || '(none)'}`,
    );
  }
  if (!KV_QUANTIZATION_AXES.includes(tensor.axis)) {
    fail(
      'PAYLOAD_QUANTIZATION',
      [...at, 'axis'],
      `axis ${tensor.axis} is neither 2 (tokens, per channel) nor 3 (channels, per token)`,
    );
  }
  const count = elementCount(tensor.shape);
  if (tensor.quantization === 'int4' && count % 2 !== 0) {
    fail(
      'PAYLOAD_INT4_ODD_COUNT',
      [...at, 'shape'],
      `int4 packs two elements per byte; [${tensor.shape.join(', ')}] holds ${count}, an odd count`,
    );
  }
  const codes = codeByteLength(tensor.quantization, count);
  if (tensor.codes.shape.length !== 1 || tensor.codes.shape[0] !== codes) {
    fail(
      'PAYLOAD_QUANTIZATION',
      [...at, 'codes', 'shape'],
      `${tensor.quantization} codes of [${tensor.shape.join(', ')}] are a flat [${codes}], got [${tensor.codes.shape.join(', ')}]`,
    );
  }
  const { groupShape } = groupLayout(tensor.shape, tensor.axis, tensor.group_size);
  for (const part of ['scale', 'zero'] as const) {
    const shape = tensor[part].shape;
    if (shape.length !== groupShape.length || shape.some((d, i) => d !== groupShape[i])) {
      fail(
        'PAYLOAD_QUANTIZATION',
        [...at, part, 'shape'],
        `groups of ${tensor.group_size} along axis ${tensor.axis} of [${tensor.shape.join(', ')}] need a [${groupShape.join(', ')}] ${part}, got [${shape.join(', ')}]`,
      );
    }
  }
}

function checkSoft(
  shape: readonly number[],
  payload: Extract<AnyCondensedPayload, { format: 'soft' }>,
  limits: PayloadLimits,
  fail: Fail,
): void {
  checkShape(shape, ['embeddings'], 2, false, fail);
  const [tokens, hidden] = shape as [number, number];
  const expectedHidden = limits.geometry?.hidden;
  if (expectedHidden !== undefined && hidden !== expectedHidden) {
    fail(
      'PAYLOAD_GEOMETRY_MISMATCH',
      ['embeddings', 'shape'],
      `expected hidden size ${expectedHidden}, got ${hidden}`,
    );
  }
  if (tokens !== payload.condensed_tokens) {
    fail(
      'PAYLOAD_TOKEN_COUNT',
      ['condensed_tokens'],
      `condensed_tokens (${payload.condensed_tokens}) differs from the embeddings' token dimension (${tokens})`,
    );
  }
}

function checkDeclaredSize(
  payload: AnyCondensedPayload,
  leaves: readonly LocatedLeaf[],
  limits: PayloadLimits,
  fail: Fail,
): void {
  const max = limits.maxPayloadBytes;
  if (payload.format === 'text') {
    const bytes = utf8ByteLength(payload.text);
    if (bytes > max)
      fail('PAYLOAD_TOO_LARGE', ['text'], `${bytes} bytes exceed the limit of ${max}`);
    return;
  }
  const declared = declaredPayloadBytes(leaves);
  if (declared > max) {
    fail(
      'PAYLOAD_TOO_LARGE',
      payload.format === 'kv' ? ['layers'] : ['embeddings'],
      `declared tensors hold ${declared} bytes, over the limit of ${max}`,
    );
  }
}

function checkTierRanges(payload: AnyCondensedPayload, limits: PayloadLimits, fail: Fail): void {
  const tokens = payload.condensed_tokens;
  if (
    (limits.minCondensedTokens !== undefined && tokens < limits.minCondensedTokens) ||
    (limits.maxCondensedTokens !== undefined && tokens > limits.maxCondensedTokens)
  ) {
    fail(
      'PAYLOAD_TOKENS_OUT_OF_RANGE',
      ['condensed_tokens'],
      `${tokens} condensed tokens are outside ${limits.minCondensedTokens ?? 1}..${limits.maxCondensedTokens ?? 'unbounded'}`,
    );
  }
  const rate = tokens / payload.original_tokens;
  if (
    (limits.minCompressionRate !== undefined && rate < limits.minCompressionRate) ||
    (limits.maxCompressionRate !== undefined && rate > limits.maxCompressionRate)
  ) {
    fail(
      'PAYLOAD_COMPRESSION_OUT_OF_RANGE',
      ['condensed_tokens'],
      `compression rate ${tokens}/${payload.original_tokens} = ${rate.toFixed(4)} is outside ${limits.minCompressionRate ?? 0}..${limits.maxCompressionRate ?? 1}`,
    );
  }
}
