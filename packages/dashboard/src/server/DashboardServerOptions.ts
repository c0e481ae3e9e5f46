import type { DashboardSources } from '../sources/DashboardSources';

/** What the dashboard logs: a pino logger fits. */
export interface DashboardLogger {
  warn(object: object, message: string): void;
}

export interface DashboardServerOptions {
  sources: DashboardSources;
  /** Default 127.0.0.1. Any other address needs `token`. */
  host?: string;
  /** Default 0: the OS chooses. */
  port?: number;
  /** Bearer token (≥ 16 characters) every request must carry, or the login form's cookie. */
  token?: string;
  /** How long a read is shared, and how often watched views are re-read. Default 2 000 ms. */
  refreshMs?: number;
  /** Live streams at most. Default 64. */
  maxViewers?: number;
  logger?: DashboardLogger;
}

export interface RunningDashboard {
  /** `http://host:port/dashboard`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Live streams open now. */
  readonly viewers: number;
  close(): Promise<void>;
}
