import { SignalError } from '@signal/core';

export type DashboardErrorCode =
  /** A non-loopback bind without a token, or a token too short to guess-proof. */
  | 'DASHBOARD_TOKEN_REQUIRED'
  | 'DASHBOARD_TOKEN_WEAK'
  /** The browser bundle is not built (`pnpm build`). */
  | 'DASHBOARD_ASSET_MISSING'
  /** A data source threw or returned something its schema refuses. */
  | 'DASHBOARD_SOURCE_FAILED'
  /** A leaderboard file that is missing or is not `signal leaderboard --json` output. */
  | 'DASHBOARD_LEADERBOARD_INVALID'
  | 'DASHBOARD_LISTEN_FAILED';

/** Why the dashboard could not start or answer; `code` is stable. */
export class DashboardError extends SignalError<DashboardErrorCode> {
  override name = 'DashboardError';
}
