import { SignalClient } from '@signal/client';
import type { TierConfig } from '@signal/core';
import { type ModelHost, recallVocabulary } from '@signal/runtime';
import { type RecallTask, synthesizeTasks } from '@signal/validator';
import type { ClientJobs } from './ClientJobs';
import type { DevnetClientReport } from './DevnetReport';

export interface ClientExampleParameters {
  gatewayUrl: string;
  apiKey: string;
  tiers: readonly TierConfig[];
  tier: TierConfig;
  model: string;
  /** The target model, loaded locally as an app would, in a model worker thread. */
  host: ModelHost<ClientJobs>;
  seed: number;
  /** Key-value pairs in the sample context. */
  pairs: number;
  signal: AbortSignal;
}

/**
 * The recall model answers with exactly one value token and then keeps repeating it, so
 * the first new token is the whole answer; more would print "v09 v09 v09" beside "v09".
 */
const ANSWER_TOKENS = 1;

/**
 * What an app does with the subnet: condense a context through the gateway with
 * `@signal/client` (the gateway picks the best miner, whatever its format), answer a
 * question from the condensed context on its own copy of the model (in a worker thread, so
 * the devnet's servers keep answering), and — for the report — answer it again from the
 * full context.
 */
export async function clientExample(
  parameters: ClientExampleParameters,
): Promise<DevnetClientReport> {
  const { host, tier } = parameters;
  // A recall task as the validator deals it: key-value pairs among fillers, one key asked.
  const [task] = synthesizeTasks({
    seed: `devnet-client-${parameters.seed}`,
    tier,
    count: 1,
    families: ['recall'],
    recall: { vocabulary: recallVocabulary(), pairs: parameters.pairs },
  }) as [RecallTask];
  const client = new SignalClient({
    gateway: { url: parameters.gatewayUrl, apiKey: parameters.apiKey },
    tiers: parameters.tiers,
    timeoutMs: tier.timeoutSeconds * 3 * 1000,
  });
  try {
    const condensed = await client.condense(task.context, {
      tier: tier.name,
      targetModel: parameters.model,
      signal: parameters.signal,
    });
    const { answer, fullContextAnswer } = await host.run(
      'answer',
      {
        payload: condensed.toPayload(),
        tier,
        context: task.context,
        prompt: task.prompt,
        maxNewTokens: ANSWER_TOKENS,
      },
      { signal: parameters.signal },
    );
    return {
      miner_uid: condensed.stats.minerUid,
      format: condensed.format,
      original_tokens: condensed.stats.originalTokens,
      condensed_tokens: condensed.stats.condensedTokens,
      question: task.prompt,
      expected: task.expected.answers[0]!,
      answer,
      full_context_answer: fullContextAnswer,
    };
  } finally {
    await client.close();
  }
}
