// The entry of a miner's model worker threads (built as dist/minerWorker.js).
import { serveHostWorker } from '@signal/runtime';
import { createMinerWorker } from './createMinerWorker';

serveHostWorker(createMinerWorker);
