/**
 * The q projection of each layer, by the names exporters give it: optimum's and the builder's
 * `/model/layers.N/self_attn/q_proj/MatMul`, onnxruntime-genai's `/model/layers.N/attn/q_proj/MatMul`
 * (`MatMul_Q4` once ORT's int4 quantizer has replaced it, `MatMulNBits` in newer builders), each
 * with its bias `Add` when it has one; and the packed `qkv_proj` (genai's CPU exports, Phi-3),
 * whose output holds Q, K and V side by side, Q first.
 */
export const QUERY_PROJECTION =
  /^\/model\/layers\.(\d+)\/(?:self_attn|attn)\/(q_proj|qkv_proj)\/(MatMul(?:_Q\d+)?|MatMulNBits|Add)$/;

/** Where a layer's pre-RoPE queries are computed. */
export interface QueryProjection {
  /** The tensor holding them: the projection's output, after its bias when it has one. */
  output: string;
  /** The tensor is the packed `[…, (heads + 2·kv_heads)·head_dim]` QKV: Q is its first columns. */
  packed: boolean;
}

/** Whether a graph's node names include a q projection for every layer it names. */
export function hasQueryProjections(nodeNames: readonly string[]): boolean {
  return nodeNames.some((n) => QUERY_PROJECTION.test(n));
}

/** Each layer's q projection, from the graph's nodes (the bias Add preferred over the MatMul). */
export function findQueryProjections(
  nodes: readonly { name?: string | null; output?: readonly string[] | null }[],
): Map<number, QueryProjection> {
  const byLayer = new Map<number, QueryProjection & { bias: boolean }>();
  for (const node of nodes) {
    const [, layer, module, op] = QUERY_PROJECTION.exec(node.name ?? '') ?? [];
    const output = node.output?.[0];
    if (layer === undefined || output === undefined) continue;
    const bias = op === 'Add';
    const known = byLayer.get(Number(layer));
    if (known?.bias && !bias) continue;
    byLayer.set(Number(layer), { output, packed: module === 'qkv_proj', bias });
  }
  return new Map([...byLayer].map(([layer, { output, packed }]) => [layer, { output, packed }]));
}
