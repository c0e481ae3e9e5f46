/**
 * The serving side of the end-to-end payload benchmark, in its own process so its memory is
 * measured apart from the receiver's: a real core `Axon` answering `Condense` on the
 * synapse route (base64 JSON) and on `/Condense/binary` (a payload frame), with a synthetic
 * 7B-shaped cache encoded as a miner's condenser would leave it. Driven over IPC.
 */
import {
  Axon,
  Condense,
  createSr25519Signer,
  type EncodedKvPayload,
  framePayload,
  type KvFormat,
  toWirePayload,
} from '../../packages/core/src/index';
import { encodedCache, rawBytes } from './encodedCache';
import { RssSampler } from './rssSampler';

type Command =
  | { type: 'prepare'; kept: number; format: KvFormat; groupSize?: number }
  | { type: 'report' }
  | { type: 'release' }
  | { type: 'exit' };

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const send = (message: unknown) => process.send?.(message);

async function main(): Promise<void> {
  const signer = await createSr25519Signer(new Uint8Array(32).fill(7));
  const sampler = new RssSampler();
  let payload: EncodedKvPayload | undefined;
  let baseline = 0;
  const axon = new Axon({ signer, maxTimeoutSeconds: 600 });
  axon.attach(Condense, {
    forward: (synapse) => ({ ...synapse, condensed: toWirePayload(payload!) }),
    binary: () => framePayload(payload!),
  });
  const address = await axon.listen({ host: '127.0.0.1', port: 0 });
  process.on('message', async (command: Command) => {
    switch (command.type) {
      case 'prepare': {
        payload = encodedCache(command.kept, {
          format: command.format,
          groupSize: command.groupSize,
        });
        gc();
        baseline = sampler.reset();
        send({ type: 'prepared', rawBytes: rawBytes(payload), baselineRss: baseline });
        break;
      }
      case 'report':
        send({ type: 'report', baselineRss: baseline, peakRss: sampler.peakBytes() });
        break;
      case 'release':
        payload = undefined;
        gc();
        send({ type: 'released', rss: sampler.reset() });
        break;
      case 'exit':
        sampler.stop();
        await axon.close({ graceMs: 100 });
        process.exit(0);
    }
  });
  send({ type: 'ready', port: address.port, hotkey: address.hotkey });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
