import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import type { ChatMessage } from './ChatMessage';
import { checkTokenIds } from './checkTokenIds';
import { type TokenizerConfig, TokenizerConfigSchema } from './TokenizerConfig';
import { TokenizerError } from './TokenizerError';
import { type ChatTemplateOptions, renderChatTemplate } from './template/renderChatTemplate';

export interface EncodeOptions {
  /** Add the tokens the tokenizer's post-processor adds (e.g. BOS). Default true, as in transformers. */
  addSpecialTokens?: boolean;
}

export interface DecodeOptions {
  /** Drop special tokens (BOS, EOS, pad, …) from the text. Default false. */
  skipSpecialTokens?: boolean;
}

/** Ids of the special tokens a model's tokenizer declares; absent ones are undefined. */
export interface SpecialTokenIds {
  bos: number | undefined;
  eos: number | undefined;
  pad: number | undefined;
}

/**
 * A Hugging Face tokenizer (`tokenizer.json` + `tokenizer_config.json`) with the
 * special-token ids and chat template resolved once, at load time.
 */
export class TextTokenizer {
  readonly config: TokenizerConfig;
  readonly special: SpecialTokenIds;
  readonly vocabSize: number;
  private readonly inner: Tokenizer;

  private constructor(inner: Tokenizer, config: TokenizerConfig) {
    this.inner = inner;
    this.config = config;
    this.special = {
      bos: config.bos_token === undefined ? undefined : inner.token_to_id(config.bos_token),
      eos: config.eos_token === undefined ? undefined : inner.token_to_id(config.eos_token),
      pad: config.pad_token === undefined ? undefined : inner.token_to_id(config.pad_token),
    };
    this.vocabSize = inner.get_vocab(true).size;
  }

  /**
   * Builds a tokenizer from already-parsed JSON. `source` names where it came from so that
   * errors point at the file. The tokenizer encodes and decodes a probe string before it is
   * returned, so a tokenizer that cannot run fails here rather than mid-request.
   */
  static fromJson(
    tokenizerJson: unknown,
    configJson: unknown = {},
    source = 'tokenizer.json',
  ): TextTokenizer {
    if (
      typeof tokenizerJson !== 'object' ||
      tokenizerJson === null ||
      !('model' in tokenizerJson)
    ) {
      throw new TokenizerError('TOKENIZER_INVALID', `${source} is not a tokenizer definition`, {
        details: 'expected a JSON object with a "model" section',
      });
    }
    checkTokenIds(tokenizerJson as Record<string, unknown>, source);
    const parsed = TokenizerConfigSchema.safeParse(configJson ?? {});
    if (!parsed.success) {
      throw new TokenizerError(
        'TOKENIZER_INVALID',
        `tokenizer_config.json next to ${source} is invalid`,
        {
          details: parsed.error.message,
          cause: parsed.error,
        },
      );
    }
    let inner: Tokenizer;
    try {
      inner = new Tokenizer(tokenizerJson, configJson ?? {});
      inner.decode(inner.encode('Signal probe 0.').ids);
    } catch (cause) {
      throw new TokenizerError(
        'TOKENIZER_INVALID',
        `${source} describes a tokenizer that cannot run`,
        {
          details: cause instanceof Error ? cause.message : String(cause),
          cause,
        },
      );
    }
    return new TextTokenizer(inner, parsed.data);
  }

  /** Loads `tokenizer.json` and, when present, `tokenizer_config.json` from a directory. */
  static async load(dir: string): Promise<TextTokenizer> {
    const tokenizerPath = join(dir, 'tokenizer.json');
    const tokenizerJson = await readJson(tokenizerPath, true);
    const configJson = (await readJson(join(dir, 'tokenizer_config.json'), false)) ?? {};
    // Newer exports keep the template beside the config, in chat_template.jinja.
    if (isRecord(configJson) && configJson.chat_template == null) {
      const template = await readFile(join(dir, 'chat_template.jinja'), 'utf8').catch(
        () => undefined,
      );
      if (template !== undefined) configJson.chat_template = template;
    }
    return TextTokenizer.fromJson(tokenizerJson, configJson, tokenizerPath);
  }

  encode(text: string, options: EncodeOptions = {}): number[] {
    return this.inner.encode(text, { add_special_tokens: options.addSpecialTokens ?? true }).ids;
  }

  decode(ids: readonly number[], options: DecodeOptions = {}): string {
    return this.inner.decode([...ids], {
      skip_special_tokens: options.skipSpecialTokens ?? false,
      clean_up_tokenization_spaces: false,
    });
  }

  tokenToId(token: string): number | undefined {
    return this.inner.token_to_id(token);
  }

  idToToken(id: number): string | undefined {
    return this.inner.id_to_token(id);
  }

  /**
   * Formats a conversation with the model's chat template. The result already holds the
   * template's special tokens, so encode it with `addSpecialTokens: false`.
   */
  applyChatTemplate(messages: readonly ChatMessage[], options: ChatTemplateOptions = {}): string {
    const template = this.chatTemplate;
    if (template === undefined) {
      throw new TokenizerError(
        'TOKENIZER_NO_CHAT_TEMPLATE',
        'this tokenizer has no chat template',
        {
          details: 'tokenizer_config.json sets no chat_template',
        },
      );
    }
    const { bos_token, eos_token, pad_token, unk_token } = this.config;
    return renderChatTemplate(
      template,
      messages,
      { bos_token, eos_token, pad_token, unk_token },
      options,
    );
  }

  /** The chat template, picking the `default` entry when the config lists several. */
  get chatTemplate(): string | undefined {
    const template = this.config.chat_template;
    if (template === null || template === undefined) return undefined;
    if (typeof template === 'string') return template;
    return (template.find((t) => t.name === 'default') ?? template[0])?.template;
  }
}

async function readJson(path: string, required: boolean): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if (!required && (cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new TokenizerError('TOKENIZER_FILE_MISSING', `cannot read ${path}`, {
      details: cause instanceof Error ? cause.message : String(cause),
      cause,
    });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new TokenizerError('TOKENIZER_INVALID', `${path} is not valid JSON`, {
      details: cause instanceof Error ? cause.message : String(cause),
      cause,
    });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
