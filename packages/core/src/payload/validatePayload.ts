import { z } from 'zod';
import { type BtTensor, declaredByteLength } from '../tensor/BtTensor';
import { bufferLengthBounds } from './bufferLengthBounds';
import {
  type CondensedPayload,
  CondensedPayloadSchema,
  type KvPayload,
  type SoftPayload,
} from './CondensedPayload';
import { fieldPath } from './fieldPath';
import { PayloadError, type PayloadErrorCode } from './PayloadError';
import { DEFAULT_PAYLOAD_DTYPES, type PayloadLimits } from './PayloadLimits';
import { utf8ByteLength } from './utf8ByteLength';

export interface ValidatePayloadOptions {
  /** Where the payload sits in its message, for error paths; `condensed` by default. */
  path?: string | undefined;
}

type Segments = ReadonlyArray<PropertyKey>;

interface LocatedTensor {
  readonly at: Segments;
  readonly tensor: BtTensor;
}

/**
 * Checks an untrusted condensed payload against the schema and the receiver's limits, using
 * only declared shapes and string lengths: no buffer is decoded, so an oversized or
 * inconsistent payload costs the receiver nothing. Returns the typed payload, or throws a
 * `PayloadError` whose code names the rule that failed and whose path names the field.
 */
export function validatePayload(
  raw: unknown,
  limits: PayloadLimits,
  options: ValidatePayloadOptions = {},
): CondensedPayload {
  const root = options.path ?? 'condensed';
  const fail = (code: PayloadErrorCode, at: Segments, message: string): never => {
    throw new PayloadError(code, fieldPath(root, at), message);
  };

  const parsed = CondensedPayloadSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const code = issue.path.at(-1) === 'dtype' ? 'PAYLOAD_DTYPE' : 'PAYLOAD_SCHEMA';
    throw new PayloadError(code, fieldPath(root, issue.path), issue.message, {
      details: z.prettifyError(parsed.error),
      cause: parsed.error,
    });
  }
  const payload = parsed.data;

  if (limits.expectedModel !== undefined && payload.model !== limits.expectedModel) {
    fail(
      'PAYLOAD_MODEL_MISMATCH',
      ['model'],
      `payload is for "${payload.model}", expected "${limits.expectedModel}"`,
    );
  }

  const tensors = tensorsOf(payload);
  const allowed = limits.allowedDtypes ?? DEFAULT_PAYLOAD_DTYPES;
  for (const { at, tensor } of tensors) {
    if (!allowed.includes(tensor.dtype)) {
      fail(
        'PAYLOAD_DTYPE',
        [...at, 'dtype'],
        `dtype ${tensor.dtype} is not one of ${allowed.join(', ')}`,
      );
    }
  }

  if (payload.format === 'kv') checkKv(payload, limits, fail);
  else if (payload.format === 'soft') checkSoft(payload, limits, fail);

  if (payload.condensed_tokens > payload.original_tokens) {
    fail(
      'PAYLOAD_TOKEN_COUNT',
      ['condensed_tokens'],
      `condensed_tokens (${payload.condensed_tokens}) exceeds original_tokens (${payload.original_tokens})`,
    );
  }

  checkSizes(payload, tensors, limits, fail);
  checkTierRanges(payload, limits, fail);
  return payload;
}

type Fail = (code: PayloadErrorCode, at: Segments, message: string) => never;

function tensorsOf(payload: CondensedPayload): LocatedTensor[] {
  switch (payload.format) {
    case 'kv':
      return payload.layers.flatMap((layer, index) => [
        { at: ['layers', index, 'key'], tensor: layer.key },
        { at: ['layers', index, 'value'], tensor: layer.value },
      ]);
    case 'soft':
      return [{ at: ['embeddings'], tensor: payload.embeddings }];
    case 'text':
      return [];
  }
}

function checkShape(located: LocatedTensor, rank: number, batched: boolean, fail: Fail): void {
  const { shape } = located.tensor;
  const at = [...located.at, 'shape'];
  if (shape.length !== rank) {
    fail('PAYLOAD_SHAPE', at, `expected rank ${rank}, got [${shape.join(', ')}]`);
  }
  if (batched && shape[0] !== 1) {
    fail('PAYLOAD_SHAPE', at, `expected batch 1, got [${shape.join(', ')}]`);
  }
  if (shape.some((dim) => dim <= 0)) {
    fail('PAYLOAD_SHAPE', at, `every dimension must be positive, got [${shape.join(', ')}]`);
  }
}

function checkKv(payload: KvPayload, limits: PayloadLimits, fail: Fail): void {
  const first = payload.layers[0]!.key;
  payload.layers.forEach((layer, index) => {
    for (const half of ['key', 'value'] as const) {
      const tensor = layer[half];
      const at = ['layers', index, half];
      checkShape({ at, tensor }, 4, true, fail);
      if (tensor.dtype !== first.dtype) {
        fail(
          'PAYLOAD_LAYER_MISMATCH',
          [...at, 'dtype'],
          `dtype ${tensor.dtype} differs from layers[0].key's ${first.dtype}`,
        );
      }
      if (tensor.shape.some((dim, axis) => dim !== first.shape[axis])) {
        fail(
          'PAYLOAD_LAYER_MISMATCH',
          [...at, 'shape'],
          `shape [${tensor.shape.join(', ')}] differs from layers[0].key's [${first.shape.join(', ')}]`,
        );
      }
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

function checkSoft(payload: SoftPayload, limits: PayloadLimits, fail: Fail): void {
  const located = { at: ['embeddings'], tensor: payload.embeddings };
  checkShape(located, 2, false, fail);
  const [tokens, hidden] = payload.embeddings.shape as [number, number];
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

function checkSizes(
  payload: CondensedPayload,
  tensors: readonly LocatedTensor[],
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
  const where = payload.format === 'kv' ? ['layers'] : ['embeddings'];
  let declared = 0;
  let sent = 0;
  for (const { tensor } of tensors) {
    declared += declaredByteLength(tensor.dtype, tensor.shape);
    sent += tensor.buffer.length;
  }
  if (declared > max) {
    fail(
      'PAYLOAD_TOO_LARGE',
      where,
      `declared tensors hold ${declared} bytes, over the limit of ${max}`,
    );
  }
  if (sent > max) {
    fail(
      'PAYLOAD_TOO_LARGE',
      where,
      `buffers carry ${sent} base64 bytes, over the limit of ${max}`,
    );
  }
  for (const { at, tensor } of tensors) {
    const bytes = declaredByteLength(tensor.dtype, tensor.shape);
    const bounds = bufferLengthBounds(bytes, tensor.shape.length);
    const length = tensor.buffer.length;
    if (length < bounds.min || length > bounds.max) {
      fail(
        'PAYLOAD_BUFFER_SIZE',
        [...at, 'buffer'],
        `${length} base64 characters cannot encode the ${bytes} bytes its ${tensor.dtype} [${tensor.shape.join(', ')}] shape declares (expected ${bounds.min}..${bounds.max})`,
      );
    }
  }
}

function checkTierRanges(payload: CondensedPayload, limits: PayloadLimits, fail: Fail): void {
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
