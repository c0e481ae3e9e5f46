import { z } from 'zod';

/** A special token is written either as its text or as an AddedToken object with `content`. */
const SpecialToken = z
  .union([z.string(), z.looseObject({ content: z.string() })])
  .nullish()
  .transform((token) =>
    token === null || token === undefined
      ? undefined
      : typeof token === 'string'
        ? token
        : token.content,
  );

const ChatTemplate = z.union([
  z.string(),
  z.array(z.object({ name: z.string(), template: z.string() })),
]);

/** The part of `tokenizer_config.json` the runtime uses; everything else passes through to the tokenizer. */
export const TokenizerConfigSchema = z.looseObject({
  bos_token: SpecialToken,
  eos_token: SpecialToken,
  pad_token: SpecialToken,
  unk_token: SpecialToken,
  chat_template: ChatTemplate.nullish(),
  add_bos_token: z.boolean().optional(),
  add_eos_token: z.boolean().optional(),
  model_max_length: z.number().optional(),
});

export type TokenizerConfig = z.infer<typeof TokenizerConfigSchema>;
