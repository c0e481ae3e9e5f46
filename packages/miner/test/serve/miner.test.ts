import {
  BINARY_ROUTE_LIMIT,
  Condense,
  type CondenseSynapse,
  Dendrite,
  decodeKvPayload,
  FRAME_VERSION,
  Inference,
  type KvPayload,
  Metadata,
  receivePayloadFrame,
} from '@signal/core';
import { keptCount } from '@signal/miner';
import { CausalLM, kvCacheFromPayload } from '@signal/runtime';
import { type MinerFixture, NETUID, startFixture } from './fixture';

const CONTEXT =
  'The courier left the depot at dawn with 14 parcels. The first stop was the bakery, ' +
  'where the owner signed for two boxes of flour. Later the van climbed the hill road.';
const PROMPT = ' Where did the van go?';

let fx: MinerFixture;
let lm: CausalLM;

beforeAll(async () => {
  fx = await startFixture();
  lm = await CausalLM.load(fx.modelDir);
}, 60_000);

afterAll(async () => {
  await lm?.dispose();
  await fx?.close();
});

function condenseRequest(tier: string, overrides: Partial<CondenseSynapse> = {}): CondenseSynapse {
  return Condense.schema.parse({ context: CONTEXT, target_model: 'tiny', tier, ...overrides });
}

async function condenseKv(tier: string, targetModel = 'tiny'): Promise<KvPayload> {
  const result = await fx.dendrite.call(
    fx.axon,
    Condense,
    condenseRequest(tier, { target_model: targetModel }),
    {
      timeout: 20,
    },
  );
  if (!result.ok) throw new Error(`Condense ${tier} failed: ${result.status} ${result.message}`);
  const payload = result.synapse.condensed;
  if (payload?.format !== 'kv') throw new Error(`expected a kv payload, got ${payload?.format}`);
  return payload;
}

function logSoftmax(row: Float32Array): Float64Array {
  let max = Number.NEGATIVE_INFINITY;
  for (const v of row) max = Math.max(max, v);
  let sum = 0;
  for (const v of row) sum += Math.exp(v - max);
  const norm = max + Math.log(sum);
  return Float64Array.from(row, (v) => v - norm);
}

/** Next-token log-probs after context + prompt in one pass, and after the condensed cache + prompt. */
async function nextTokenLogprobs(
  payload: KvPayload,
): Promise<{ full: Float64Array; condensed: Float64Array }> {
  const promptIds = lm.tokenizer.encode(PROMPT, { addSpecialTokens: false });
  const full = await lm.prefill([...lm.tokenizer.encode(CONTEXT), ...promptIds]);
  const { numLayers, kvHeads, headDim } = lm.signature;
  const cache = kvCacheFromPayload(payload, { expect: { numLayers, kvHeads, headDim } });
  const condensed = await lm.prefill(promptIds, { cache });
  return {
    full: logSoftmax(full.logits.at(0, -1)),
    condensed: logSoftmax(condensed.logits.at(0, -1)),
  };
}

function kl(p: Float64Array, q: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < p.length; i++) sum += Math.exp(p[i]!) * (p[i]! - q[i]!);
  return sum;
}

describe('quantized caches and the binary route', () => {
  it('quantizes after the press to the tier kv_format, continuing close to the full context', async () => {
    const divergence: Record<string, number> = {};
    for (const [tier, scheme] of [
      ['kv_int8', 'int8'],
      ['kv_int4', 'int4'],
    ] as const) {
      const payload = await condenseKv(tier);
      expect(payload.layers[0]!.key).toMatchObject({ quantization: scheme, axis: 2 });
      expect(payload.layers[0]!.value).toMatchObject({ quantization: scheme, axis: 3 });
      const { full, condensed } = await nextTokenLogprobs(payload);
      divergence[scheme] = kl(full, condensed);
    }
    expect(divergence.int8!).toBeLessThan(divergence.int4!);
    expect(divergence.int4!).toBeLessThan(0.05);
  });

  it('serves the same payload as a frame on /Condense/binary, advertised in Metadata', async () => {
    const metadata = await fx.dendrite.call(fx.axon, Metadata, Metadata.schema.parse({}));
    if (!metadata.ok) throw new Error(metadata.message);
    expect(metadata.synapse.limits).toMatchObject({
      [BINARY_ROUTE_LIMIT]: FRAME_VERSION,
      'kv_int4.kv_format': 'int4',
    });
    const limits = { maxPayloadBytes: 8 * 1024 * 1024 };
    const result = await fx.dendrite.binary(fx.axon, Condense, condenseRequest('kv_int4'), {
      timeout: 20,
      receive: (body) =>
        receivePayloadFrame(body.chunks, {
          limits,
          kvDtype: 'float32',
          contentLength: body.contentLength,
        }),
    });
    if (!result.ok) throw new Error(`${result.status} ${result.message}`);
    if (result.value.format !== 'kv') throw new Error('expected kv');
    const viaJson = decodeKvPayload(await condenseKv('kv_int4'), { dtype: 'float32' });
    expect(result.value.kv.format).toBe('int4');
    expect(result.value.kv.layers).toEqual(viaJson.layers);
    const refused = await fx.dendrite.binary(fx.axon, Condense, condenseRequest('kv_int4'), {
      timeout: 20,
      receive: (body) =>
        receivePayloadFrame(body.chunks, { limits: { maxPayloadBytes: 1024 }, kvDtype: 'float32' }),
    });
    expect(refused.status).toBe(413);
  });
});

describe('startMiner on a LocalChain', () => {
  it('advertises its axon on chain', async () => {
    const metagraph = await fx.chain.metagraph(NETUID);
    const neuron = metagraph.neurons.find((n) => n.hotkey === fx.minerKey.address);
    expect(neuron?.axon).toMatchObject({ ip: '127.0.0.1', port: fx.miner.port });
  });

  it('at ratio 0 returns the whole cache, and continuing from it matches the full context', async () => {
    const payload = await condenseKv('kv_full');
    const n = lm.tokenizer.encode(CONTEXT).length;
    expect(payload).toMatchObject({
      original_length: n,
      kept: n,
      original_tokens: n,
      condensed_tokens: n,
    });
    const { full, condensed } = await nextTokenLogprobs(payload);
    let worst = 0;
    for (let i = 0; i < full.length; i++)
      worst = Math.max(worst, Math.abs(full[i]! - condensed[i]!));
    expect(worst).toBeLessThan(1e-4);
    expect(kl(full, condensed)).toBeLessThan(1e-6);
  });

  it.each([
    ['kv_snap', 0.25],
    ['kv_knorm', 0.5],
    ['kv_stream', 0.75],
    ['kv_expected', 0.5],
    ['kv_zip', 0.5],
    ['kv_diff_windowed', 0.75],
  ])(
    '%s at ratio %d keeps the promised count and reports the continuation KL',
    async (tier, ratio) => {
      const payload = await condenseKv(tier);
      const n = lm.tokenizer.encode(CONTEXT).length;
      const kept = keptCount(n, ratio);
      expect(payload).toMatchObject({
        original_length: n,
        kept,
        condensed_tokens: kept,
        original_tokens: n,
      });
      expect(payload.layers).toHaveLength(lm.signature.numLayers);
      for (const layer of payload.layers) {
        expect(layer.key.shape).toEqual([1, lm.signature.kvHeads, kept, lm.signature.headDim]);
        expect(layer.value.shape).toEqual(layer.key.shape);
      }
      const { full, condensed } = await nextTokenLogprobs(payload);
      const divergence = kl(full, condensed);
      process.stdout.write(
        `continuation KL ${tier} ratio ${ratio}: ${divergence.toExponential(3)}\n`,
      );
      expect(Number.isFinite(divergence)).toBe(true);
      expect(divergence).toBeGreaterThanOrEqual(-1e-9);
    },
  );

  it('text drops tokens but keeps the forced ones (digits, newlines, punctuation)', async () => {
    const context =
      'Invoice 4821 was paid on day 17.\nThe customer asked for a receipt by mail, twice.';
    const result = await fx.dendrite.call(fx.axon, Condense, condenseRequest('text', { context }), {
      timeout: 20,
    });
    expect(result.ok).toBe(true);
    const payload = result.synapse.condensed;
    if (payload?.format !== 'text') throw new Error('expected a text payload');
    const original = lm.tokenizer.encode(context, { addSpecialTokens: false }).length;
    expect(payload.original_tokens).toBe(original);
    expect(payload.condensed_tokens).toBeLessThan(original);
    expect(payload.condensed_tokens).toBe(
      lm.tokenizer.encode(payload.text, { addSpecialTokens: false }).length,
    );
    expect(payload.text.replace(/\D/g, '')).toBe('482117');
    expect(payload.text).toContain('\n');
    expect(payload.text.length).toBeLessThan(context.length);
  });

  it('soft pools the input embeddings to the ratio', async () => {
    const result = await fx.dendrite.call(
      fx.axon,
      Condense,
      condenseRequest('soft', { target_model: 'tiny-soft' }),
      {
        timeout: 20,
      },
    );
    expect(result.ok).toBe(true);
    const payload = result.synapse.condensed;
    if (payload?.format !== 'soft') throw new Error('expected a soft payload');
    const n = lm.tokenizer.encode(CONTEXT).length;
    expect(payload.original_tokens).toBe(n);
    expect(payload.condensed_tokens).toBe(keptCount(n, 0.5));
    expect(payload.embeddings.shape).toEqual([keptCount(n, 0.5), 64]);
  });

  it('loads the adapter configured for a target model on first use and lists it in Metadata', async () => {
    const before = await fx.dendrite.call(fx.axon, Metadata, Metadata.schema.parse({}));
    expect(before.ok).toBe(true);
    expect(before.synapse.adapters).not.toContain('test-adapter');
    expect(before.synapse.models).toEqual(['tiny', 'tiny-lora', 'tiny-soft']);
    expect(before.synapse.methods).toEqual(
      expect.arrayContaining(['knorm', 'snapkv', 'streaming_llm', 'text', 'soft']),
    );
    expect(before.synapse.limits['kv_full.max_context_chars']).toBe(400);

    const adapted = await condenseKv('kv_full', 'tiny-lora');
    const base = await condenseKv('kv_full', 'tiny');
    expect(adapted.adapter).toBe('test-adapter');
    expect(adapted.model).toBe('tiny-lora');
    // q/v projections are adapted, so the cached values differ from the base model's.
    expect(adapted.layers[0]!.value).not.toEqual(base.layers[0]!.value);

    // expected_attention reads the adapted pre-RoPE queries the graft keeps exposed.
    const expected = await condenseKv('kv_expected', 'tiny-lora');
    expect(expected.adapter).toBe('test-adapter');

    const after = await fx.dendrite.call(fx.axon, Metadata, Metadata.schema.parse({}));
    expect(after.synapse.adapters).toEqual(['test-adapter']);
  });

  it('generates from a prompt, and from a condensed cache as from the full context', async () => {
    const plain = await fx.dendrite.call(
      fx.axon,
      Inference,
      Inference.schema.parse({ model: 'tiny', prompt: CONTEXT + PROMPT, max_new_tokens: 6 }),
      { timeout: 20 },
    );
    expect(plain.ok).toBe(true);
    expect(plain.synapse.tokens?.length).toBeGreaterThan(0);
    expect(plain.synapse.tokens!.length).toBeLessThanOrEqual(6);
    expect(typeof plain.synapse.completion).toBe('string');

    const payload = await condenseKv('kv_full');
    const continued = await fx.dendrite.call(
      fx.axon,
      Inference,
      Inference.schema.parse({
        model: 'tiny',
        prompt: PROMPT,
        condensed: payload,
        max_new_tokens: 6,
      }),
      { timeout: 20 },
    );
    expect(continued.ok).toBe(true);
    expect(continued.synapse.tokens).toEqual(plain.synapse.tokens);
  });

  it('streams an Inference when asked, with the text of the non-streaming answer', async () => {
    const request = Inference.schema.parse({ model: 'tiny', prompt: CONTEXT, max_new_tokens: 8 });
    const whole = await fx.dendrite.call(fx.axon, Inference, request, { timeout: 20 });
    expect(whole.ok).toBe(true);
    const streamed = fx.dendrite.stream(
      fx.axon,
      Inference,
      { ...request, stream: true },
      { timeout: 20 },
    );
    const decoder = new TextDecoder();
    let text = '';
    for await (const chunk of streamed.chunks) text += decoder.decode(chunk, { stream: true });
    const result = await streamed.result;
    expect(result.status).toBe(200);
    expect(text).toBe(whole.synapse.completion);
  });

  describe('refusals', () => {
    it('Inference: 400 past max_new_tokens (also when streaming), 422 for a payload of another model', async () => {
      const tooLong = Inference.schema.parse({
        model: 'tiny',
        prompt: 'hi',
        max_new_tokens: 64,
        stream: true,
      });
      const streamed = fx.dendrite.stream(fx.axon, Inference, tooLong, { timeout: 20 });
      for await (const _ of streamed.chunks) throw new Error('a refused stream yields no chunks');
      const refused = await streamed.result;
      expect(refused.status).toBe(400);
      expect(refused.message).toMatch(/max_new_tokens=32/);

      const payload = await condenseKv('kv_knorm');
      const mismatched = await fx.dendrite.call(
        fx.axon,
        Inference,
        Inference.schema.parse({
          model: 'tiny-lora',
          prompt: PROMPT,
          condensed: payload,
          max_new_tokens: 4,
        }),
        { timeout: 20 },
      );
      expect(mismatched.status).toBe(422);
      expect(mismatched.message).toMatch(/PAYLOAD_MODEL_MISMATCH/);
    });

    it('403 for an unregistered hotkey', async () => {
      const stranger = new Dendrite({ signer: fx.outsider });
      try {
        const result = await stranger.call(fx.axon, Condense, condenseRequest('kv_knorm'));
        expect(result.status).toBe(403);
        expect(result.message).toMatch(/not registered/);
      } finally {
        await stranger.close();
      }
    });

    it('403 for a registered hotkey without a validator permit', async () => {
      const self = new Dendrite({ signer: fx.minerKey });
      try {
        const result = await self.call(fx.axon, Condense, condenseRequest('kv_knorm'));
        expect(result.status).toBe(403);
        expect(result.message).toMatch(/no validator permit/);
      } finally {
        await self.close();
      }
    });

    it('413 naming the tier limit for an oversize context', async () => {
      const result = await fx.dendrite.call(
        fx.axon,
        Condense,
        condenseRequest('kv_knorm', { context: 'x'.repeat(401) }),
      );
      expect(result.status).toBe(413);
      expect(result.message).toMatch(/TIER_CONTEXT_TOO_LONG.*limit of 400 characters/);
    });

    it('400 for a model or tier the miner does not serve', async () => {
      const model = await fx.dendrite.call(
        fx.axon,
        Condense,
        condenseRequest('kv_knorm', { target_model: 'gpt-9' }),
      );
      expect(model.status).toBe(400);
      expect(model.message).toMatch(/gpt-9/);
      const tier = await fx.dendrite.call(fx.axon, Condense, condenseRequest('platinum'));
      expect(tier.status).toBe(400);
      expect(tier.message).toMatch(/TIER_UNKNOWN/);
    });

    it('admits an allowlisted direct client, then 429 past its quota (refusals spend none)', async () => {
      const client = new Dendrite({ signer: fx.direct });
      try {
        // A refused request does not spend the quota.
        const oversize = await client.call(
          fx.axon,
          Condense,
          condenseRequest('kv_knorm', { context: 'y'.repeat(500) }),
        );
        expect(oversize.status).toBe(413);
        const first = await client.call(fx.axon, Condense, condenseRequest('kv_knorm'), {
          timeout: 20,
        });
        expect(first.status).toBe(200);
        const second = await client.call(fx.axon, Condense, condenseRequest('kv_knorm'), {
          timeout: 20,
        });
        expect(second.status).toBe(429);
        expect(second.message).toMatch(/MINER_RATE_LIMITED/);
      } finally {
        await client.close();
      }
    });

    it('400 naming the field for a malformed synapse', async () => {
      const response = await fetch(`http://127.0.0.1:${fx.miner.port}/Condense`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', name: 'Condense', timeout: '12' },
        body: JSON.stringify({ context: 5, target_model: 'tiny', tier: 'kv_knorm' }),
      });
      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(/context/);
    });
  });

  it('exposes Prometheus metrics on its own port', async () => {
    const response = await fetch(`http://127.0.0.1:${fx.miner.metricsPort}/metrics`);
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(text).toMatch(/signal_miner_requests_total\{synapse="Condense",status="200"\} [1-9]/);
    expect(text).toMatch(/signal_miner_refusals_total\{code="MINER_UNREGISTERED_HOTKEY"\} [1-9]/);
    expect(text).toMatch(
      /signal_miner_condense_phase_seconds_count\{method="knorm",phase="prefill"\}/,
    );
  });
});
