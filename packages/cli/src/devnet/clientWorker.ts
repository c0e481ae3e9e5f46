// The entry of the devnet client's model worker (built as dist/clientWorker.js).
import { toCondensedContext } from '@signal/client';
import { generateWithCondensed } from '@signal/client/runtime';
import { tierPayloadLimits } from '@signal/core';
import { CausalLM, serveHostWorker } from '@signal/runtime';
import type { ClientJobs, ClientWorkerInit } from './ClientJobs';

serveHostWorker<ClientWorkerInit, ClientJobs>(async (init, { intraOpThreads }) => {
  const lm = await CausalLM.load(init.modelDir, {
    session: { intraOpThreads, interOpThreads: 1 },
  });
  return {
    handlers: {
      answer: async ({ payload, tier, context, prompt, maxNewTokens }, { signal }) => {
        const condensed = toCondensedContext(
          payload,
          tierPayloadLimits(tier, { expectedModel: payload.model }),
          undefined,
          { minerUid: -1, latencyMs: 0, serverLatencyMs: 0, source: 'the gateway' },
        );
        const settings = { maxNewTokens, signal };
        const answer = await generateWithCondensed(lm, condensed, prompt, settings);
        const fullIds = [
          ...lm.tokenizer.encode(context),
          ...lm.tokenizer.encode(prompt, { addSpecialTokens: false }),
        ];
        const full = await lm.generateText(fullIds, settings);
        return { answer: answer.text, fullContextAnswer: full.text };
      },
    },
    close: () => lm.dispose(),
  };
});
