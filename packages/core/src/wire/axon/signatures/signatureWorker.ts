// The entry of an axon's sr25519 threads (built as dist/signatureWorker.js).

import { parentPort } from 'node:worker_threads';
import { sr25519Sign } from '@polkadot/wasm-crypto';
import { serializeError } from '../../../threads/crossThreadError';
import { sr25519Ready, verifyText } from '../../signature';
import { WireError } from '../../WireError';
import type {
  KeyMessage,
  SignatureBatch,
  SignatureResults,
  SignatureTask,
} from './signatureProtocol';

const port = parentPort;
if (port) {
  const keys = new Map<number, { publicKey: Uint8Array; secretKey: Uint8Array }>();
  const encoder = new TextEncoder();
  const run = (task: SignatureTask): boolean | string => {
    if ('verify' in task) return verifyText(...task.verify);
    const [id, text] = task.sign;
    const key = keys.get(id);
    if (!key) throw new WireError('WIRE_SIGNATURE', 'This thread holds no signing key of that id.');
    return `0x${Buffer.from(sr25519Sign(key.publicKey, key.secretKey, encoder.encode(text))).toString('hex')}`;
  };
  const ready = sr25519Ready();
  void ready.then(() => port.postMessage({ ready: true }));
  port.on('message', async (message: SignatureBatch | KeyMessage) => {
    if ('hold' in message) {
      keys.set(message.hold.id, message.hold);
      return;
    }
    if ('forget' in message) {
      keys.get(message.forget)?.secretKey.fill(0);
      keys.delete(message.forget);
      return;
    }
    await ready;
    const results = message.tasks.map((task) => {
      try {
        return run(task);
      } catch (error) {
        return serializeError(error);
      }
    });
    port.postMessage({ id: message.id, results } satisfies SignatureResults);
  });
}
