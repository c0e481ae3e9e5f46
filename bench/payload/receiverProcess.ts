/**
 * The receiving side of the end-to-end payload benchmark, in its own process: a real
 * Dendrite asking the miner process for a Condense on the synapse route or the binary
 * route, decoding the payload into float16 and handing it to a consumer that keeps a
 * checksum (as a runtime uploading as it goes would): layer by layer on the synapse route,
 * slab by slab (at most `DEFAULT_SLAB_ELEMENTS`) on the binary route. Reports its time and
 * its peak RSS above its idle RSS.
 */
import { performance } from 'node:perf_hooks';
import {
  Condense,
  createSr25519Signer,
  DEFAULT_TIERS,
  Dendrite,
  decodeKvPayload,
  getTier,
  type KvPayload,
  receivePayloadFrame,
  tierPayloadLimits,
  validatePayload,
} from '../../packages/core/src/index';
import { RssSampler } from './rssSampler';
import { MISTRAL_7B } from './synthetic';

type Command =
  | { type: 'run'; port: number; hotkey: string; route: 'base64_json' | 'binary' }
  | { type: 'exit' };

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const send = (message: unknown) => process.send?.(message);

function consume(sum: { value: number }, key: ArrayLike<number>, value: ArrayLike<number>) {
  sum.value += (key[0] ?? 0) + (value[value.length - 1] ?? 0);
}

async function run(dendrite: Dendrite, command: Extract<Command, { type: 'run' }>) {
  const tier = getTier(DEFAULT_TIERS, 'long_context');
  const limits = tierPayloadLimits(tier, {
    geometry: {
      layers: MISTRAL_7B.layers,
      kvHeads: MISTRAL_7B.kvHeads,
      headDim: MISTRAL_7B.headDim,
    },
  });
  const axon = { ip: '127.0.0.1', port: command.port, hotkey: command.hotkey };
  const synapse = Condense.schema.parse({
    context: 'x',
    target_model: 'mistralai/Mistral-7B-Instruct-v0.2',
    tier: tier.name,
  });
  const sum = { value: 0 };
  if (command.route === 'binary') {
    const result = await dendrite.binary(axon, Condense, synapse, {
      timeout: 900,
      receive: (body) =>
        receivePayloadFrame(body.chunks, {
          limits,
          kvDtype: 'float16',
          contentLength: body.contentLength,
          sink: (slab) => consume(sum, slab.data, slab.data),
        }),
    });
    return { ok: result.ok, status: result.status, message: result.ok ? 'ok' : result.message };
  }
  const result = await dendrite.call(axon, Condense, synapse, { timeout: 900 });
  if (!result.ok) return { ok: false, status: result.status, message: result.message };
  try {
    const payload = validatePayload(result.synapse.condensed, limits) as KvPayload;
    for (const layer of payload.layers) {
      const decoded = decodeKvPayload({ ...payload, layers: [layer] }, { dtype: 'float16' });
      consume(sum, decoded.layers[0]!.key, decoded.layers[0]!.value);
    }
    return { ok: true, status: 200, message: 'ok' };
  } catch (error) {
    return { ok: false, status: 422, message: (error as Error).message.split('\n')[0]! };
  }
}

async function main(): Promise<void> {
  const signer = await createSr25519Signer(new Uint8Array(32).fill(9));
  const dendrite = new Dendrite({ signer, maxResponseBytes: 3 * 1024 * 1024 * 1024 });
  const sampler = new RssSampler();
  process.on('message', async (command: Command) => {
    if (command.type === 'exit') {
      sampler.stop();
      await dendrite.close();
      process.exit(0);
    }
    gc();
    const idle = sampler.reset();
    const started = performance.now();
    const outcome = await run(dendrite, command);
    const seconds = (performance.now() - started) / 1000;
    send({ type: 'ran', ...outcome, seconds, idleRss: idle, peakRss: sampler.peakBytes() });
  });
  send({ type: 'ready' });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
