// The entry of an axon's signature-verification threads (built as dist/verifyWorker.js).
import { parentPort } from 'node:worker_threads';
import { serializeError } from '../../../threads/crossThreadError';
import { sr25519Ready, verifyText } from '../../signature';
import type { VerifyBatch, VerifyResults } from './verifyProtocol';

const port = parentPort;
if (port) {
  const ready = sr25519Ready();
  void ready.then(() => port.postMessage({ ready: true }));
  port.on('message', async (batch: VerifyBatch) => {
    await ready;
    const results = batch.items.map(({ text, signature, address }) => {
      try {
        return verifyText(text, signature, address);
      } catch (error) {
        return serializeError(error);
      }
    });
    port.postMessage({ id: batch.id, results } satisfies VerifyResults);
  });
}
