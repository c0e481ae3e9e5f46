export { LeaderboardError, type LeaderboardErrorCode } from './leaderboard/LeaderboardError';
export {
  LEADERBOARD_RATIOS,
  type LeaderboardOptions,
  type LeaderboardOptionsInput,
  LeaderboardOptionsSchema,
  QUICK,
} from './leaderboard/LeaderboardOptions';
export {
  LEADERBOARD_METHODS,
  type LeaderboardMethodSpec,
  METHOD_NAMES,
} from './leaderboard/leaderboardMethods';
export { leaderboardSvg } from './leaderboard/leaderboardSvg';
export { leaderboardMarkdown, leaderboardTable } from './leaderboard/leaderboardTable';
export { leaderboardOptions, runLeaderboard } from './leaderboard/runLeaderboard';
export { createProgram } from './program';
