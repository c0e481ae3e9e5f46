import {
  renderChatTemplate,
  type ChatMessage as TemplateMessage,
  type TextTokenizer,
  TokenizerError,
} from '@signal/runtime';
import { ApiError } from '../openai/ApiError';
import { type ChatMessage, messageText } from '../openai/ChatMessage';

export interface ChatPromptOptions {
  /** A Jinja chat template to use instead of the tokenizer config's. */
  template?: string | undefined;
  /** A condensed context comes first: drop the template's leading BOS, it already began the sequence. */
  afterCondensed: boolean;
}

/**
 * A conversation as the model's prompt ids: its chat template (from tokenizer_config.json,
 * or the server's override) rendered with the generation prompt, then encoded without
 * adding special tokens (the template writes its own). `developer` turns are given to the
 * template as `system`, the role templates know.
 */
export function chatPromptIds(
  tokenizer: TextTokenizer,
  messages: readonly ChatMessage[],
  options: ChatPromptOptions,
): number[] {
  const turns: TemplateMessage[] = messages.map((message, index) => {
    const content = messageText(message);
    if (content === undefined) {
      throw new ApiError('API_INVALID_REQUEST', 'Only text content parts are supported.', {
        param: `messages[${index}].content`,
        openaiCode: 'unsupported_content',
      });
    }
    return { role: message.role === 'developer' ? 'system' : message.role, content };
  });
  let text: string;
  try {
    text =
      options.template === undefined
        ? tokenizer.applyChatTemplate(turns)
        : renderChatTemplate(options.template, turns, templateTokens(tokenizer));
  } catch (error) {
    if (!(error instanceof TokenizerError)) throw error;
    const noTemplate = error.code === 'TOKENIZER_NO_CHAT_TEMPLATE';
    throw new ApiError(
      'API_INVALID_REQUEST',
      noTemplate
        ? 'This model has no chat template: use /v1/completions, or start serve with --chat-template.'
        : 'The chat template refused these messages.',
      {
        details: noTemplate ? undefined : error.details,
        param: 'messages',
        openaiCode: noTemplate ? 'no_chat_template' : 'invalid_messages',
        cause: error,
      },
    );
  }
  const ids = tokenizer.encode(text, { addSpecialTokens: false });
  const { bos } = tokenizer.special;
  if (options.afterCondensed && bos !== undefined && ids[0] === bos) ids.shift();
  return ids;
}

function templateTokens(tokenizer: TextTokenizer) {
  const { bos_token, eos_token, pad_token, unk_token } = tokenizer.config;
  return { bos_token, eos_token, pad_token, unk_token };
}
