/** Why a choice ended, in OpenAI's words: a stop (EOS or a stop string) or the token limit. */
export type FinishReason = 'stop' | 'length';
