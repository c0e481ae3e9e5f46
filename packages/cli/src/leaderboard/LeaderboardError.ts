import { SignalError } from '@signal/core';

export type LeaderboardErrorCode = 'LEADERBOARD_BAD_OPTIONS';

/** `signal leaderboard` was asked for something it cannot run; `details` names the option. */
export class LeaderboardError extends SignalError<LeaderboardErrorCode> {
  override name = 'LeaderboardError';
}
