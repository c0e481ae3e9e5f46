import { Environment, Template } from '@huggingface/jinja';
import { z } from 'zod';
import { type ChatMessage, ChatMessageSchema } from '../ChatMessage';
import { TokenizerError } from '../TokenizerError';
import { BoundedInterpreter } from './BoundedInterpreter';
import { checkTemplateWidths } from './checkTemplateWidths';
import { templateBudget } from './TemplateBudget';
import { TemplateBudgetExceeded } from './TemplateBudgetExceeded';
import { declareTemplateGlobals } from './templateGlobals';

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
 * `add_generation_prompt` and the special tokens, plus `raise_exception`, which templates use
 * to refuse a conversation (e.g. Mistral's strict user/assistant alternation); that refusal
 * becomes a typed error. The template runs metered (see TemplateBudget): one that loops,
 * recurses or builds strings beyond its budget fails with TOKENIZER_TEMPLATE_BUDGET.
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
      checkTemplateWidths(compiledTemplate.parsed);
      compiled.set(template, compiledTemplate);
    }
    const inputChars = parsed.data.reduce((sum, m) => sum + m.content.length, template.length);
    const budget = templateBudget(parsed.data.length, inputChars);
    const globals = new Environment();
    declareTemplateGlobals(globals, budget);
    const environment = new Environment(globals);
    const variables = {
      ...options.variables,
      ...tokens,
      messages: parsed.data,
      add_generation_prompt: options.addGenerationPrompt ?? true,
    };
    for (const [name, value] of Object.entries(variables)) environment.set(name, value);
    const rendered = new BoundedInterpreter(environment, budget).run(compiledTemplate.parsed);
    return String(rendered.value);
  } catch (cause) {
    if (cause instanceof TemplateBudgetExceeded) {
      throw new TokenizerError(
        'TOKENIZER_TEMPLATE_BUDGET',
        'the chat template went beyond what one render may spend',
        { details: `it asked for ${cause.message}`, cause },
      );
    }
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
