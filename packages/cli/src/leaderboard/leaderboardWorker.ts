// The entry of the leaderboard's model worker threads (built as dist/leaderboardWorker.js).
import { ReconstructionAttention } from '@signal/miner';
import { CausalLM, serveHostWorker } from '@signal/runtime';
import type { LeaderboardJobs, LeaderboardWorkerInit } from './LeaderboardJobs';
import { scoreTask } from './scoreTask';

serveHostWorker<LeaderboardWorkerInit, LeaderboardJobs>(async (init, { intraOpThreads }) => {
  const session = { intraOpThreads, interOpThreads: 1 };
  const lm = await CausalLM.load(init.modelDir, { session });
  const reconstruction = await ReconstructionAttention.create(session);
  return {
    handlers: { score: (job) => scoreTask({ lm, reconstruction }, job) },
    close: async () => {
      await reconstruction.dispose();
      await lm.dispose();
    },
  };
});
