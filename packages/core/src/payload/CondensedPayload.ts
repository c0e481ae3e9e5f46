import { z } from 'zod';
import { QUANTIZATION_SCHEMES } from '../quantization/QuantizationScheme';
import { BtTensorSchema } from '../tensor/BtTensor';
import { RawTensorSchema, type TensorLeaf } from './TensorLeaf';

/*
 * The wire form of a condensed context, in snake_case so a Python peer can declare the same
 * pydantic models. Token counts are positive: a payload condenses something into something,
 * and a zero count would make the compression rate meaningless.
 *
 * Every schema is declared once over its tensor leaf: `BtTensor` on the JSON wire, `TensorRef`
 * in a binary frame's header (wire/binary), `RawTensor` in memory between a condenser and
 * the transport.
 */
const tokenCount = z.number().int().positive();

/**
 * One quantized KV half (`key` or `value` of a layer), grouped asymmetric quantization:
 *
 * - `shape` is the logical shape `[1, kv_heads, kept, head_dim]`; N is its element count.
 * - `axis` is the axis groups run along: 2 (tokens; one group per channel per `group_size`
 *   tokens: KIVI's per-channel keys) or 3 (channels; one group per token per `group_size`
 *   channels: KIVI's per-token values). The last group of an axis may be shorter.
 * - `scale` and `zero` are float16 (little-endian) tensors of `shape` with `shape[axis]`
 *   replaced by `ceil(shape[axis] / group_size)`, in C order.
 * - `codes` is a flat uint8 vector: for `int8`, N codes 0..255 in C order; for `int4`, N/2
 *   bytes, element 2i in the low nibble (bits 0–3) of byte i and element 2i+1 in the high
 *   nibble (bits 4–7). N must be even for `int4`.
 * - Element e, in group g, is `float32(code[e]) · float32(scale[g]) + float32(zero[g])`.
 */
export function quantizedTensorSchema<Leaf extends z.ZodType<TensorLeaf>>(leaf: Leaf) {
  return z.object({
    quantization: z.enum(QUANTIZATION_SCHEMES),
    shape: z.array(z.number().int().nonnegative()),
    axis: z.number().int().nonnegative(),
    group_size: z.number().int().positive(),
    codes: leaf,
    scale: leaf,
    zero: leaf,
  });
}

/** The three payload formats, their union and the KV half, over one tensor leaf schema. */
export function payloadSchemas<Leaf extends z.ZodType<TensorLeaf>>(leaf: Leaf) {
  /** A KV half: a float tensor (float16 or float32), or its quantized form. */
  const kvTensor = z.union([leaf, quantizedTensorSchema(leaf)]);
  /** A pruned KV cache: per layer `[1, kv_heads, kept, head_dim]` keys and values. */
  const kv = z.object({
    format: z.literal('kv'),
    model: z.string().min(1),
    adapter: z.string().min(1).nullable().default(null),
    original_tokens: tokenCount,
    condensed_tokens: tokenCount,
    /** Where position ids continue: cached keys are already rotated for positions below it. */
    original_length: z.number().int().positive(),
    /** Tokens kept per head, equal in every layer. */
    kept: tokenCount,
    layers: z.array(z.object({ key: kvTensor, value: kvTensor })).min(1),
  });
  /** Soft tokens for models that accept `inputs_embeds`: one `[n, hidden]` tensor. */
  const soft = z.object({
    format: z.literal('soft'),
    model: z.string().min(1),
    original_tokens: tokenCount,
    condensed_tokens: tokenCount,
    embeddings: leaf,
  });
  /** Compressed text; the token counts are under the target model's tokenizer. */
  const text = z.object({
    format: z.literal('text'),
    model: z.string().min(1),
    original_tokens: tokenCount,
    condensed_tokens: tokenCount,
    text: z.string().min(1),
  });
  return { kvTensor, kv, soft, text, condensed: z.discriminatedUnion('format', [kv, soft, text]) };
}

type Schemas<Leaf extends z.ZodType<TensorLeaf>> = ReturnType<typeof payloadSchemas<Leaf>>;

const wire = payloadSchemas(BtTensorSchema);
export const KvPayloadSchema = wire.kv;
export const SoftPayloadSchema = wire.soft;
export const TextPayloadSchema = wire.text;
export const CondensedPayloadSchema = wire.condensed;
export const QuantizedTensorSchema = quantizedTensorSchema(BtTensorSchema);

export type KvPayload = z.infer<typeof KvPayloadSchema>;
export type SoftPayload = z.infer<typeof SoftPayloadSchema>;
export type TextPayload = z.infer<typeof TextPayloadSchema>;
export type CondensedPayload = z.infer<typeof CondensedPayloadSchema>;
export type CondensedPayloadFormat = CondensedPayload['format'];
export type QuantizedTensor = z.infer<typeof QuantizedTensorSchema>;
export type KvTensor = z.infer<typeof wire.kvTensor>;

const encoded = payloadSchemas(RawTensorSchema);
/** A payload whose tensors are raw bytes: what condensers produce, before a transport encodes it. */
export type EncodedPayload = z.infer<typeof encoded.condensed>;
export type EncodedKvPayload = z.infer<typeof encoded.kv>;
export type EncodedKvTensor = z.infer<typeof encoded.kvTensor>;

/** The structure every form shares, for code that reads only dtypes and shapes. */
export type AnyCondensedPayload = z.infer<Schemas<z.ZodType<TensorLeaf>>['condensed']>;
export type AnyKvPayload = z.infer<Schemas<z.ZodType<TensorLeaf>>['kv']>;
export type AnyKvTensor = z.infer<Schemas<z.ZodType<TensorLeaf>>['kvTensor']>;
export type AnyQuantizedTensor = Extract<AnyKvTensor, { quantization: unknown }>;

/** Whether a KV half is quantized (it carries codes, scales and zero points). */
export function isQuantized<T extends AnyKvTensor>(
  tensor: T,
): tensor is Extract<T, { quantization: unknown }> {
  return 'quantization' in tensor;
}
