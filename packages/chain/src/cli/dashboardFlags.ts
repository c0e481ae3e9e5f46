import { SignalError } from '@signal/core';
import { Option } from 'commander';
import { z } from 'zod';
import { integerIn } from './integerIn';

/** What `--dashboard.*` (or their env forms) said; absent ones fall back to the config file. */
export interface DashboardFlags {
  'dashboard.port'?: number;
  'dashboard.host'?: string;
  'dashboard.token'?: string;
  'dashboard.leaderboard'?: string;
}

/** The config-file section behind the flags: `dashboard: { port, host, token_env, leaderboard }`. */
export const DashboardConfigShape = {
  dashboard: z
    .strictObject({
      port: z.int().min(0).max(65_535).optional(),
      host: z.string().min(1).optional(),
      /** The name of an env variable holding the token, so the file never holds it. */
      token_env: z
        .string()
        .regex(/^[A-Z_][A-Z0-9_]*$/)
        .optional(),
      /** A `signal leaderboard --json` file for the Quality page. */
      leaderboard: z.string().min(1).optional(),
    })
    .optional(),
};
export type DashboardConfig = z.infer<z.ZodObject<typeof DashboardConfigShape>>;

/** Where a neuron serves its dashboard, or false when it does not. */
export type DashboardSettings =
  | { host: string; port: number; token?: string; leaderboardFile?: string }
  | false;

/**
 * The dashboard flags a neuron that serves one adds to its command (`options` of
 * `neuronCommand`): the port turns it on, the host defaults to loopback and anything else
 * needs the bearer token, best given through its env form (`<envPrefix>_DASHBOARD_TOKEN`),
 * which unlike a flag no other user of the machine can read.
 */
export function dashboardOptions(envPrefix: string): Option[] {
  return [
    new Option(
      '--dashboard.port <port>',
      'serve the dashboard at /dashboard on this port (0: any) [off]',
    )
      .env(`${envPrefix}_DASHBOARD_PORT`)
      .argParser(integerIn('--dashboard.port', 0, 65_535)),
    new Option(
      '--dashboard.host <host>',
      'address the dashboard binds; beyond loopback it needs --dashboard.token [127.0.0.1]',
    ).env(`${envPrefix}_DASHBOARD_HOST`),
    new Option(
      '--dashboard.token <token>',
      'bearer token the dashboard requires (at least 16 characters; prefer the env form)',
    ).env(`${envPrefix}_DASHBOARD_TOKEN`),
    new Option(
      '--dashboard.leaderboard <file>',
      'a `signal leaderboard --json` file for the Quality page [own evaluations]',
    ).env(`${envPrefix}_DASHBOARD_LEADERBOARD`),
  ];
}

/**
 * Flag, then env form (folded by commander), then config file. The dashboard runs when a
 * port is given by either; a token named by the file's `token_env` is read from `env`. A
 * config file's `leaderboard` is returned as written (the neuron resolves it against the file).
 */
export function resolveDashboardSettings(
  flags: DashboardFlags,
  config: DashboardConfig,
  env: NodeJS.ProcessEnv,
): DashboardSettings {
  const port = flags['dashboard.port'] ?? config.dashboard?.port;
  if (port === undefined) return false;
  const tokenEnv = config.dashboard?.token_env;
  let token = flags['dashboard.token'];
  if (token === undefined && tokenEnv !== undefined) {
    token = env[tokenEnv];
    if (token === undefined || token === '') {
      // An operator who named a token meant the dashboard to be guarded: never serve it open.
      throw new SignalError(
        'DASHBOARD_TOKEN_ENV_UNSET',
        'The dashboard token variable is not set.',
        {
          details: `dashboard.token_env names ${tokenEnv}, which is empty or unset.`,
        },
      );
    }
  }
  const leaderboardFile = flags['dashboard.leaderboard'] ?? config.dashboard?.leaderboard;
  return {
    host: flags['dashboard.host'] ?? config.dashboard?.host ?? '127.0.0.1',
    port,
    ...(token === undefined ? {} : { token }),
    ...(leaderboardFile === undefined ? {} : { leaderboardFile }),
  };
}
