import type { JobSpec } from '@signal/runtime';
import type { TaskCell, TaskJob } from './scoreTask';

/** What the leaderboard's worker threads load: the reference model's directory. */
export interface LeaderboardWorkerInit {
  readonly modelDir: string;
}

export type LeaderboardJobs = {
  score: JobSpec<TaskJob, TaskCell[]>;
};
