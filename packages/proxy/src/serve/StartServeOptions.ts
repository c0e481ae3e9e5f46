import type { Logger } from 'pino';
import type { CallerAuth } from '../auth/CallerAuth';
import type { ServeModel } from './ServeModel';

export interface StartServeOptions {
  model: ServeModel;
  /** The id clients ask for, listed by `/v1/models`; `signal_condensed` payloads must be for it. */
  modelName: string;
  /** A Jinja chat template instead of the tokenizer config's. */
  chatTemplate?: string | undefined;
  /** Default: every caller is let in. */
  auth?: CallerAuth;
  /** Completion length when a request sets no `max_tokens`. Default 256. */
  defaultMaxTokens?: number;
  /** Largest request body, condensed payloads included. Default 256 MiB. */
  maxBodyBytes?: number;
  host?: string;
  port?: number;
  logger?: Logger;
}
