import { LocalChain } from '@signal/chain';
import { ClientError, SignalClient } from '@signal/client';
import { generateWithCondensed } from '@signal/client/runtime';
import {
  AxonRefusal,
  type CondenseSynapse,
  decodeKvPayload,
  framePayload,
  type KvPayload,
  toWirePayload,
} from '@signal/core';
import { type MinerAxon, newHotkey, startMinerAxon } from './helpers/minerAxon';
import { textPayload } from './helpers/payloads';
import { TEST_TIERS } from './helpers/testTiers';
import { condenseEncoded, condenseKv, loadTinyModel, type TinyModel } from './helpers/tinyModel';

const CONTEXT =
  'The lighthouse keeper counted ships at dawn. Seven came in from the north, and the last one carried salt for the winter market.';

let model: TinyModel;
let chain: LocalChain;
let payload: KvPayload;
let netuid = 0;
const miners: MinerAxon[] = [];
const clients: SignalClient[] = [];

beforeAll(async () => {
  model = await loadTinyModel();
  chain = await LocalChain.open({ blockTimeMs: 0 });
  payload = await condenseKv(model.lm, CONTEXT, 2);
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(miners.splice(0).map((m) => m.close()));
});

afterAll(async () => {
  await chain.close();
  await model.dispose();
});

/** A new subnet, so each test's metagraph holds only its own miners. */
async function subnet(): Promise<number> {
  netuid += 1;
  await chain.createSubnet(netuid, { weightsRateLimit: 0, tempo: 5 });
  return netuid;
}

const answer = (body: KvPayload | unknown) => async (synapse: CondenseSynapse) =>
  ({ ...synapse, condensed: body }) as CondenseSynapse;

async function miner(
  n: number,
  name: string,
  handler: Parameters<typeof startMinerAxon>[3],
  options?: Parameters<typeof startMinerAxon>[4],
) {
  const started = await startMinerAxon(chain, n, `${name}-${n}`, handler, options);
  miners.push(started);
  return started;
}

/** A staked validator weighs the miners, and an epoch turns the weights into incentive. */
async function rank(n: number, weights: ReadonlyArray<[MinerAxon, number]>): Promise<void> {
  const validator = await newHotkey(`validator-${n}`);
  await chain.register({
    netuid: n,
    hotkey: validator.address,
    coldkey: validator.address,
    stake: 10n ** 12n,
  });
  await chain.setWeights({
    netuid: n,
    uids: weights.map(([m]) => m.uid),
    weights: weights.map(([, w]) => w),
    versionKey: 0,
    signer: validator,
  });
  await chain.advance(5);
}

async function directClient(n: number, hedge: number, retries = 1): Promise<SignalClient> {
  const client = new SignalClient({
    direct: { wallet: { hotkey: await newHotkey(`app-${n}-${hedge}`) }, netuid: n, chain, hedge },
    tiers: TEST_TIERS,
    retry: { retries, baseDelayMs: 5, maxDelayMs: 20 },
    timeoutMs: 10_000,
  });
  clients.push(client);
  return client;
}

describe('direct mode', () => {
  it('signs its own Condense, asks the best miners by incentive and decodes the real KV answer', async () => {
    const n = await subnet();
    const low = await miner(n, 'low', answer(payload));
    const high = await miner(n, 'high', answer(payload));
    await rank(n, [
      [low, 0.2],
      [high, 0.8],
    ]);
    const metagraph = await chain.metagraph(n);
    expect(metagraph.neurons[high.uid]!.incentive).toBeGreaterThan(
      metagraph.neurons[low.uid]!.incentive,
    );
    const client = await directClient(n, 1);
    const condensed = await client.condense(CONTEXT, { format: 'kv' });
    expect(condensed.stats.minerUid).toBe(high.uid);
    expect(low.callers).toHaveLength(0);
    expect(high.callers).toHaveLength(1);
    if (condensed.format !== 'kv') throw new Error('expected kv');
    expect(condensed.kept).toBe(payload.kept);
    expect(condensed.stats.compressionRatio).toBeCloseTo(payload.original_tokens / payload.kept);
    expect(condensed.layers).toHaveLength(model.lm.signature.numLayers);
  });

  it('takes an advertised binary route: an int4 frame, vetted and dequantized on arrival', async () => {
    const n = await subnet();
    const encoded = await condenseEncoded(model.lm, CONTEXT, 2, 'int4');
    const framing = await miner(n, 'framing', answer(payload), {
      binary: () => framePayload(encoded),
    });
    const client = await directClient(n, 1);
    const condensed = await client.condense(CONTEXT, { format: 'kv' });
    // The JSON route was never asked: Metadata, then the frame.
    expect(framing.callers).toHaveLength(0);
    if (condensed.format !== 'kv') throw new Error('expected kv');
    expect(condensed.kvFormat).toBe('int4');
    const expected = decodeKvPayload(toWirePayload(encoded) as KvPayload, { dtype: 'float32' });
    expect(condensed.layers.map((l) => l.key.data)).toEqual(expected.layers.map((l) => l.key));
    // Sent on, it is exact float32 of the values held.
    const sent = condensed.toPayload();
    expect(decodeKvPayload(sent, { dtype: 'float32' }).layers).toEqual(expected.layers);
    const reply = await generateWithCondensed(model.lm, condensed, ' Then', { maxNewTokens: 2 });
    expect(reply.tokens.length).toBeGreaterThan(0);
  });

  it('refuses a frame past the tier byte cap as an invalid response naming the limit', async () => {
    const n = await subnet();
    const big = await condenseEncoded(model.lm, CONTEXT, 1, 'fp32');
    await miner(n, 'bloated', answer(payload), { binary: () => framePayload(big) });
    const client = new SignalClient({
      direct: { wallet: { hotkey: await newHotkey(`app-cap-${n}`) }, netuid: n, chain, hedge: 1 },
      tiers: TEST_TIERS.map((tier) => ({ ...tier, maxPayloadBytes: 1024 })),
      retry: { retries: 0, baseDelayMs: 5, maxDelayMs: 20 },
      timeoutMs: 10_000,
    });
    clients.push(client);
    const error = await client.condense(CONTEXT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientError);
    expect(error).toMatchObject({ code: 'CLIENT_INVALID_RESPONSE', status: 413 });
    expect((error as ClientError).details).toMatch(/FRAME_TOO_LARGE|over the limit/);
  });

  it('hedges: the first valid answer wins and the slower request is aborted', async () => {
    const n = await subnet();
    let markAborted: () => void = () => undefined;
    const slowAborted = new Promise<void>((resolve) => {
      markAborted = resolve;
    });
    // The slow miner answers only once aborted: a client that waited for it would hang.
    const slow = await miner(n, 'slow', async (synapse, context) => {
      await new Promise<void>((resolve) => {
        const stop = () => {
          markAborted();
          resolve();
        };
        if (context.signal.aborted) stop();
        else context.signal.addEventListener('abort', stop);
      });
      return { ...synapse, condensed: payload };
    });
    const fast = await miner(n, 'fast', answer(payload));
    await rank(n, [
      [slow, 0.7],
      [fast, 0.3],
    ]);
    const condensed = await (await directClient(n, 2)).condense(CONTEXT);
    expect(condensed.stats.minerUid).toBe(fast.uid);
    // On a loaded machine the winner may answer before the slow request reaches its handler.
    if (slow.callers.length > 0) await slowAborted;
  });

  it('an invalid answer never wins a hedge', async () => {
    const n = await subnet();
    const liar = await miner(n, 'liar', answer({ ...payload, kept: payload.kept + 1 }));
    const honest = await miner(n, 'honest', async (synapse) => {
      await new Promise((r) => setTimeout(r, 100));
      return { ...synapse, condensed: payload };
    });
    await rank(n, [
      [liar, 0.9],
      [honest, 0.1],
    ]);
    const condensed = await (await directClient(n, 2)).condense(CONTEXT);
    expect(condensed.stats.minerUid).toBe(honest.uid);
  });

  it('lists every miner’s reason when all answers are invalid, without retrying', async () => {
    const n = await subnet();
    const a = await miner(n, 'a', answer({ ...textPayload(), model: 'wrong/model' }));
    const b = await miner(n, 'b', answer(null));
    const error = await (await directClient(n, 2, 2)).condense(CONTEXT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientError);
    expect((error as ClientError).code).toBe('CLIENT_INVALID_RESPONSE');
    expect((error as ClientError).message).toContain('wrong/model');
    expect((error as ClientError).message).toContain('sent no payload');
    expect(a.callers.length + b.callers.length).toBe(2);
  });

  it('passes on a miner’s refusal and its code, not "unparseable"', async () => {
    const n = await subnet();
    await miner(n, 'refusing', () => {
      throw new AxonRefusal(422, 'MINER_TIER_LIMIT: Text compression cannot keep 8 tokens.', {
        reasonCode: 'MINER_TIER_LIMIT',
      });
    });
    const error = await (await directClient(n, 1)).condense(CONTEXT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientError);
    expect(error).toMatchObject({
      code: 'CLIENT_REJECTED',
      status: 422,
      remoteCode: 'MINER_TIER_LIMIT',
      retryable: false,
    });
    expect((error as ClientError).message).toContain('cannot keep 8 tokens');
  });

  it('moves on to the next miner when the best one is unreachable', async () => {
    const n = await subnet();
    const dead = await miner(n, 'dead', answer(payload));
    const alive = await miner(n, 'alive', answer(payload));
    await rank(n, [
      [dead, 0.8],
      [alive, 0.2],
    ]);
    await dead.close();
    const condensed = await (await directClient(n, 1, 2)).condense(CONTEXT);
    expect(condensed.stats.minerUid).toBe(alive.uid);
  });

  it('reports a blacklisted hotkey as CLIENT_UNAUTHORIZED and does not retry it', async () => {
    const n = await subnet();
    const strict = await miner(n, 'strict', answer(payload), { blacklist: true });
    const error = await (await directClient(n, 1, 3)).condense(CONTEXT).catch((e: unknown) => e);
    expect((error as ClientError).code).toBe('CLIENT_UNAUTHORIZED');
    expect((error as ClientError).status).toBe(403);
    expect(strict.callers).toHaveLength(0);
  });

  it('says CLIENT_NO_MINERS when no miner has served an axon', async () => {
    const n = await subnet();
    const idle = await newHotkey(`idle-${n}`);
    await chain.register({ netuid: n, hotkey: idle.address, coldkey: idle.address });
    const error = await (await directClient(n, 2)).condense(CONTEXT).catch((e: unknown) => e);
    expect((error as ClientError).code).toBe('CLIENT_NO_MINERS');
  });

  it('times out with CLIENT_TIMEOUT when every miner is too slow', async () => {
    const n = await subnet();
    await miner(n, 'sleepy', async (synapse, context) => {
      await new Promise((r) => {
        const timer = setTimeout(r, 3_000);
        context.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          r(undefined);
        });
      });
      return { ...synapse, condensed: payload };
    });
    const client = await directClient(n, 1, 5);
    const error = await client.condense(CONTEXT, { timeoutMs: 300 }).catch((e: unknown) => e);
    expect((error as ClientError).code).toBe('CLIENT_TIMEOUT');
  });
});

describe('generateWithCondensed', () => {
  it('continues from an unpruned condensed cache exactly as from the full context', async () => {
    const n = await subnet();
    const full = await condenseKv(model.lm, CONTEXT, 1, 'float32');
    await miner(n, 'full', answer(full));
    const condensed = await (await directClient(n, 1)).condense(CONTEXT);
    const prompt = ' Question: how many ships?';
    const settings = { maxNewTokens: 8, ignoreEos: true };
    const fromCondensed = await generateWithCondensed(model.lm, condensed, prompt, settings);
    const ids = [
      ...model.lm.tokenizer.encode(CONTEXT),
      ...model.lm.tokenizer.encode(prompt, { addSpecialTokens: false }),
    ];
    const reference = await model.lm.generateText(ids, settings);
    expect(fromCondensed.tokens).toEqual(reference.tokens);
  });

  it('answers from a pruned cache, positions continuing after the original length', async () => {
    const n = await subnet();
    await miner(n, 'half', answer(payload));
    const condensed = await (await directClient(n, 1)).condense(CONTEXT);
    const result = await generateWithCondensed(model.lm, condensed, ' Answer:', {
      maxNewTokens: 5,
      ignoreEos: true,
    });
    expect(result.tokens).toHaveLength(5);
    expect(result.finishReason).toBe('max_tokens');
  });

  it('answers from a text payload as from the same text given in full', async () => {
    const n = await subnet();
    const ids = model.lm.tokenizer.encode(CONTEXT);
    await miner(
      n,
      'verbatim',
      answer({
        ...textPayload(CONTEXT),
        original_tokens: ids.length,
        condensed_tokens: ids.length,
      }),
    );
    const condensed = await (await directClient(n, 1)).condense(CONTEXT, { format: 'text' });
    const prompt = ' Question: how many ships?';
    const settings = { maxNewTokens: 6, ignoreEos: true };
    const fromText = await generateWithCondensed(model.lm, condensed, prompt, settings);
    const reference = await model.lm.generateText(
      [...ids, ...model.lm.tokenizer.encode(prompt, { addSpecialTokens: false })],
      settings,
    );
    expect(fromText.tokens).toEqual(reference.tokens);
  });

  it('refuses a KV cache made for another geometry', async () => {
    const n = await subnet();
    const misshapen = {
      ...payload,
      layers: [payload.layers[0]!],
    };
    await miner(n, 'shape', answer(misshapen));
    const condensed = await (await directClient(n, 1)).condense(CONTEXT);
    const error = await generateWithCondensed(model.lm, condensed, 'x').catch((e: unknown) => e);
    expect((error as ClientError).code).toBe('CLIENT_UNSUPPORTED_FORMAT');
  });
});
