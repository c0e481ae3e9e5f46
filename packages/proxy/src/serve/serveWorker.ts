import { serveHostWorker } from '@signal/runtime';
import { loadInProcessModel } from './inProcessModel';
import type { ServeJobs, ServeWorkerInit } from './serveJobs';

/*
 * The worker side of `signal serve`: the model, its session and every KV cache live in this
 * thread; only prompt ids, condensed payloads and token chunks cross to the server.
 */
serveHostWorker<ServeWorkerInit, ServeJobs>(async (init, setup) => {
  const model = await loadInProcessModel(init.modelDir, {
    ...(init.dtype ? { dtype: init.dtype } : {}),
    session: { intraOpThreads: setup.intraOpThreads, interOpThreads: 1 },
  });
  return {
    handlers: {
      describe: () => ({
        geometry: model.geometry,
        supportsPrunedCache: model.supportsPrunedCache,
        takesEmbeddings: model.takesEmbeddings,
        contextLength: model.contextLength,
      }),
      generate: async (generation, job) => {
        for await (const chunk of model.generate(generation, job.signal)) {
          if (chunk.type === 'done') return chunk;
          job.emit(chunk);
        }
        throw new Error('generation ended without a result');
      },
    },
    close: () => model.close(),
  };
});
