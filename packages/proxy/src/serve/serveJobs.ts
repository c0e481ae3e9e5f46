import type { JobSpec, ModelDtype } from '@signal/runtime';
import type { ServeChunk, ServeGeneration, ServeModel } from './ServeModel';

/** What the serve worker is started with. */
export interface ServeWorkerInit {
  readonly modelDir: string;
  readonly dtype?: ModelDtype;
}

/** What a worker reports about its model once loaded. */
export type ModelDescription = Pick<
  ServeModel,
  'geometry' | 'supportsPrunedCache' | 'takesEmbeddings' | 'contextLength'
>;

type TokenChunk = Extract<ServeChunk, { type: 'token' }>;
type DoneChunk = Extract<ServeChunk, { type: 'done' }>;

/** The serve worker's jobs: describe its model, and stream one generation. */
export type ServeJobs = {
  describe: JobSpec<undefined, ModelDescription>;
  generate: JobSpec<ServeGeneration, DoneChunk, TokenChunk>;
};
