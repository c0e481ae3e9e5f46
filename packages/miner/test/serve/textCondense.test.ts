import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { LocalChain } from '@signal/chain';
import { Condense, DEFAULT_TIERS, Dendrite, getTier, sr25519Ready } from '@signal/core';
import { parseMinerConfig, type RunningMiner, startMiner } from '@signal/miner';
import { buildModel } from '@signal/runtime';
import pino from 'pino';

// The default tier table, on the recall model: its word-level vocabulary knows no Greek
// letter name, so every word of the context below is one <unk> token.
const MODEL = 'mistralai/Mistral-7B-Instruct-v0.2';
const GREEK = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota'];

function greekContext(chars: number): string {
  let text = '';
  for (let i = 0; text.length < chars; i++) text += `${GREEK[i % GREEK.length]} `;
  return text.slice(0, chars).trimEnd();
}

let root: string;
let chain: LocalChain;
let miner: RunningMiner;
let dendrite: Dendrite;
let axon: { ip: string; port: number; hotkey: string };

beforeAll(async () => {
  await sr25519Ready();
  root = await mkdtemp(join(tmpdir(), 'signal-miner-text-'));
  const recall = await buildModel({
    arch: 'llama',
    preset: 'recall',
    outDir: join(root, 'recall'),
  });
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const validator = keyring.addFromUri('//Alice');
  const minerKey = keyring.addFromUri('//Bob');
  chain = await LocalChain.open({ blockTimeMs: 0 });
  await chain.createSubnet(1, { tempo: 100 });
  await chain.register({
    netuid: 1,
    hotkey: validator.address,
    coldkey: validator.address,
    stake: 10n ** 12n,
  });
  await chain.register({ netuid: 1, hotkey: minerKey.address, coldkey: minerKey.address });
  miner = await startMiner({
    config: parseMinerConfig({
      models: { [MODEL]: { base_model_dir: recall.dir } },
      tiers: {
        inference_1: { method: 'text', ratio: 0.5 },
        inference_0: { method: 'text', ratio: 0.5, granularity: 'sentence' },
      },
    }),
    chain,
    netuid: 1,
    hotkey: minerKey,
    tiers: DEFAULT_TIERS,
    logger: pino({ level: 'silent' }),
    metrics: { port: 0 },
  });
  dendrite = new Dendrite({ signer: validator });
  axon = { ip: '127.0.0.1', port: miner.port, hotkey: minerKey.address };
}, 120_000);

afterAll(async () => {
  await dendrite?.close();
  await miner?.close();
  await chain?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

async function condense(tier: string, context: string) {
  return dendrite.call(
    axon,
    Condense,
    Condense.schema.parse({ context, target_model: MODEL, tier }),
    { timeout: 60 },
  );
}

describe('text condensing a context the vocabulary does not know', () => {
  it('keeps the context’s own words (7 000 characters, inference_1), within the tier', async () => {
    const context = greekContext(7_000);
    const result = await condense('inference_1', context);
    if (!result.ok) throw new Error(`${result.status} ${result.message}`);
    const payload = result.synapse.condensed;
    if (payload?.format !== 'text') throw new Error('expected a text payload');
    const tier = getTier(DEFAULT_TIERS, 'inference_1');
    const words = context.split(' ');
    expect(payload.original_tokens).toBe(words.length);
    expect(payload.condensed_tokens).toBeGreaterThanOrEqual(tier.minCondensedTokens);
    expect(payload.condensed_tokens).toBeLessThanOrEqual(tier.maxCondensedTokens);
    const kept = payload.text.trim().split(/\s+/);
    expect(kept).toHaveLength(payload.condensed_tokens);
    for (const word of kept) expect(GREEK).toContain(word);
  });

  it('falls back to tokens when no whole sentence fits the budget', async () => {
    // One 3 000-character sentence: at granularity "sentence" nothing fits half of it.
    const context = greekContext(3_000);
    const result = await condense('inference_0', context);
    if (!result.ok) throw new Error(`${result.status} ${result.message}`);
    const payload = result.synapse.condensed;
    if (payload?.format !== 'text') throw new Error('expected a text payload');
    expect(payload.condensed_tokens).toBeGreaterThanOrEqual(
      getTier(DEFAULT_TIERS, 'inference_0').minCondensedTokens,
    );
    expect(context.startsWith(payload.text.trim().split(' ').slice(0, 3).join(' '))).toBe(true);
  });

  it('stays under the tier maximum when the always-kept tokens alone exceed it', async () => {
    // Every recall key and value holds a digit: 3 000 characters of them are ~750 forced tokens.
    let context = '';
    for (let i = 0; context.length < 2_990; i++) context += `k${String(i % 32).padStart(2, '0')} `;
    const result = await condense('inference_0', context.trimEnd());
    if (!result.ok) throw new Error(`${result.status} ${result.message}`);
    const payload = result.synapse.condensed;
    if (payload?.format !== 'text') throw new Error('expected a text payload');
    expect(payload.condensed_tokens).toBeLessThanOrEqual(
      getTier(DEFAULT_TIERS, 'inference_0').maxCondensedTokens,
    );
    expect(payload.condensed_tokens).toBeGreaterThan(0);
  });

  it('refuses a context too short for the tier with a 422 naming the limit', async () => {
    const result = await condense('inference_1', 'alpha beta gamma');
    expect(result.ok).toBe(false);
    expect(result).toMatchObject({ status: 422, answered: true, code: 'MINER_TIER_LIMIT' });
    expect(result.message).toMatch(/^MINER_TIER_LIMIT: .*minCondensedTokens=8/);
  });
});
