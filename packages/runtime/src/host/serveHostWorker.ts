import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { serializeError } from '@signal/core';
import { HostError } from './HostError';
import type { FromWorker, HostWorkerData, ToWorker } from './hostProtocol';
import {
  type JobHandler,
  type JobTable,
  type ServedWorker,
  Transferred,
  type WorkerFactory,
} from './WorkerModule';

/**
 * The worker side of a model host: call it at the top level of a worker module's entry.
 * It builds the worker's state with `factory` once, then runs the jobs the host sends, one
 * message per result (or chunk), with errors serialised so they are rebuilt as their own
 * classes on the main thread. A job is aborted through its `signal` when the host cancels it.
 */
export function serveHostWorker<Init, Jobs extends JobTable>(
  factory: WorkerFactory<Init, Jobs>,
): void {
  const port = parentPort;
  if (isMainThread || !port) {
    throw new HostError(
      'HOST_INVALID_OPTIONS',
      'serveHostWorker runs only inside a worker thread.',
    );
  }
  const data = workerData as HostWorkerData;
  const post = (message: FromWorker, transfer: readonly ArrayBuffer[] = []) =>
    port.postMessage(message, [...transfer]);
  const running = new Map<number, AbortController>();
  let served: ServedWorker<Jobs> | undefined;

  const run = async (id: number, job: string, input: unknown): Promise<void> => {
    const abort = new AbortController();
    running.set(id, abort);
    try {
      const handler =
        served && Object.hasOwn(served.handlers, job)
          ? (served.handlers[job] as JobHandler<Jobs[string]>)
          : undefined;
      if (!handler) {
        throw new HostError('HOST_UNKNOWN_JOB', `This worker module has no job "${job}".`, {
          details: `jobs: ${Object.keys(served?.handlers ?? {}).join(', ')}`,
        });
      }
      const result = await handler(input, {
        signal: abort.signal,
        emit: (chunk, transfer) => post({ type: 'chunk', id, chunk }, transfer),
      });
      if (result instanceof Transferred) {
        post({ type: 'done', id, value: result.value }, result.buffers);
      } else {
        post({ type: 'done', id, value: result });
      }
    } catch (error) {
      post({ type: 'error', id, error: serializeError(error) });
    } finally {
      running.delete(id);
    }
  };

  const close = async (): Promise<void> => {
    for (const abort of running.values())
      abort.abort(new HostError('HOST_CLOSED', 'The host is closing.'));
    try {
      await served?.close?.();
    } finally {
      post({ type: 'closed' });
      port.close();
    }
  };

  port.on('message', (message: ToWorker) => {
    if (message.type === 'run') void run(message.id, message.job, message.input);
    else if (message.type === 'abort') {
      running.get(message.id)?.abort(new HostError('HOST_JOB_ABORTED', 'The job was cancelled.'));
    } else if (message.type === 'close') void close();
  });

  Promise.resolve()
    .then(() =>
      factory(data.init as Init, {
        intraOpThreads: data.intraOpThreads,
        workerIndex: data.workerIndex,
      }),
    )
    .then(
      (worker) => {
        served = worker;
        post({ type: 'ready', jobs: Object.keys(worker.handlers) });
      },
      (error: unknown) => post({ type: 'failed', error: serializeError(error) }),
    );
}
