import { SignalClient } from '@signal/client';
import { generateWithCondensed } from '@signal/client/runtime';
import type { TierConfig } from '@signal/core';
import { type CausalLM, recallVocabulary } from '@signal/runtime';
import { type RecallTask, synthesizeTasks } from '@signal/validator';
import type { DevnetClientReport } from './DevnetReport';

export interface ClientExampleParameters {
  gatewayUrl: string;
  apiKey: string;
  tiers: readonly TierConfig[];
  tier: TierConfig;
  model: string;
  /** The target model, loaded locally as an app would. */
  lm: CausalLM;
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
 * question from the condensed context on its own copy of the model, and — for the report —
 * answer it again from the full context.
 */
export async function clientExample(
  parameters: ClientExampleParameters,
): Promise<DevnetClientReport> {
  const { lm, tier } = parameters;
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
    const settings = { maxNewTokens: ANSWER_TOKENS, signal: parameters.signal };
    const answer = await generateWithCondensed(lm, condensed, task.prompt, settings);
    const fullIds = [
      ...lm.tokenizer.encode(task.context),
      ...lm.tokenizer.encode(task.prompt, { addSpecialTokens: false }),
    ];
    const full = await lm.generateText(fullIds, settings);
    return {
      miner_uid: condensed.stats.minerUid,
      format: condensed.format,
      original_tokens: condensed.stats.originalTokens,
      condensed_tokens: condensed.stats.condensedTokens,
      question: task.prompt,
      expected: task.expected.answers[0]!,
      answer: answer.text,
      full_context_answer: full.text,
    };
  } finally {
    await client.close();
  }
}
