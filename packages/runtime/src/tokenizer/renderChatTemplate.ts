import { Template } from '@huggingface/jinja';
import { z } from 'zod';
import { type ChatMessage, ChatMessageSchema } from './ChatMessage';
import { TokenizerError } from './TokenizerError';

export interface ChatTemplateOptions {
  /** End with the header that opens the assistant's turn. Default true. */
  addGenerationPrompt?: boolean;
  /** Extra template variables some templates read (e.g. Qwen3's `enable_thinking`). */
  variables?: Readonly<Record<string, unknown>>;
}

/** The special tokens templates refer to by name. */
export interface TemplateTokens {
  bos_token?: string | undefined;
  eos_token?: string | undefined;
  pad_token?: string | undefined;
  unk_token?: string | undefined;
}

const compiled = new Map<string, Template>();

/**
 * Renders a Hugging Face chat template (Jinja) the way transformers does: `messages`,
 * `add_generation_prompt` and the special tokens; the Jinja runtime supplies
 * `raise_exception`, which templates use to refuse a conversation (e.g. Mistral's strict
 * user/assistant alternation), and that refusal becomes a typed error.
 */
export function renderChatTemplate(
  template: string,
  messages: readonly ChatMessage[],
  tokens: TemplateTokens,
  options: ChatTemplateOptions = {},
): string {
  const parsed = z.array(ChatMessageSchema).safeParse(messages);
  if (!parsed.success) {
    throw new TokenizerError('TOKENIZER_TEMPLATE_FAILED', 'chat messages are malformed', {
      details: parsed.error.issues
        .map((i) => `messages.${i.path.join('.')}: ${i.message}`)
        .join('; '),
      cause: parsed.error,
    });
  }
  try {
    let compiledTemplate = compiled.get(template);
    if (!compiledTemplate) {
      compiledTemplate = new Template(template);
      compiled.set(template, compiledTemplate);
    }
    return compiledTemplate.render({
      ...options.variables,
      ...tokens,
      messages: parsed.data,
      add_generation_prompt: options.addGenerationPrompt ?? true,
    });
  } catch (cause) {
    throw new TokenizerError(
      'TOKENIZER_TEMPLATE_FAILED',
      'the chat template could not render these messages',
      {
        details: cause instanceof Error ? cause.message : String(cause),
        cause,
      },
    );
  }
}
