import { ClientError } from '@signal/client';
import { workerEntry } from '@signal/core';
import type { WorkerModule } from '@signal/runtime';
import type { ClientWorkerInit } from './ClientJobs';

/** The devnet client's model worker module: the target model for answering from a payload. */
export function clientWorkerModule(modelDir: string): WorkerModule<ClientWorkerInit> {
  return {
    entry: workerEntry(__filename, { source: './clientWorker.ts', built: 'clientWorker' }),
    init: { modelDir },
    errors: [ClientError],
  };
}
