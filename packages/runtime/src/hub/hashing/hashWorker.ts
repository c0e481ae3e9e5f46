// The entry of the hashing thread that checks large downloads (built as dist/hashWorker.js).

import { createHash, type Hash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import type { FromHashThread, ToHashThread } from './hashProtocol';

const port = parentPort;
if (port) {
  const hashes = new Map<number, Hash>();
  const answer = (message: FromHashThread) => port.postMessage(message);
  port.on('message', (message: ToHashThread) => {
    switch (message.type) {
      case 'open':
        hashes.set(message.id, createHash(message.algorithm).update(message.prefix));
        return;
      case 'bytes':
        hashes.get(message.id)?.update(message.bytes);
        answer({ type: 'hashed', id: message.id, bytes: message.bytes.byteLength });
        return;
      case 'digest': {
        const hash = hashes.get(message.id);
        hashes.delete(message.id);
        answer({ type: 'digest', id: message.id, hex: hash?.digest('hex') ?? '' });
        return;
      }
      case 'drop':
        hashes.delete(message.id);
    }
  });
}
