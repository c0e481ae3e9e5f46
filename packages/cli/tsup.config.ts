import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

export default defineConfig([
  // The model workers are built beside index: dist/clientWorker.js (the devnet client's),
  // dist/leaderboardWorker.js (signal leaderboard's).
  packageBuild({
    index: 'src/index.ts',
    clientWorker: 'src/devnet/clientWorker.ts',
    leaderboardWorker: 'src/leaderboard/leaderboardWorker.ts',
  }),
  { ...packageBuild(['src/bin.ts']), format: ['cjs'], dts: false, clean: false },
]);
