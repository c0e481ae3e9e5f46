import type { EpochReport } from '../loop/EpochReport';

export interface RunningValidator {
  /** The organic gateway's bound port, when it runs. */
  readonly gatewayPort?: number;
  /** The metrics server's bound port, when it runs. */
  readonly metricsPort?: number;
  /** `http://host:port/dashboard`, when the dashboard runs. */
  readonly dashboardUrl?: string;
  /** Runs one epoch now (after any epoch in progress) and returns its report. */
  runEpoch(): Promise<EpochReport>;
  /** Re-syncs the metagraph and miners' Metadata for the gateway; returns the miners found. */
  refreshMiners(): Promise<number>;
  /** Runs epochs back to back, `epochLengthSeconds` apart, until `close()`. */
  start(): void;
  /** Stops the loop between requests, closes the servers and saves the scores. */
  close(): Promise<void>;
}
