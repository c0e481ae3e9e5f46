import { workerEntry } from '@signal/core';
import { InvalidRatioError, PressInputError } from '@signal/miner';
import type { WorkerModule } from '@signal/runtime';
import { EvaluationError, TaskSynthesisError } from '@signal/validator';
import type { LeaderboardWorkerInit } from './LeaderboardJobs';

/** The leaderboard's worker module: every model call of a run happens in its threads. */
export function leaderboardWorkerModule(modelDir: string): WorkerModule<LeaderboardWorkerInit> {
  return {
    entry: workerEntry(__filename, {
      source: './leaderboardWorker.ts',
      built: 'leaderboardWorker',
    }),
    init: { modelDir },
    errors: [PressInputError, InvalidRatioError, EvaluationError, TaskSynthesisError],
  };
}
