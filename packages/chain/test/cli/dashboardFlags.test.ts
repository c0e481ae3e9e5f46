import { Command } from 'commander';
import {
  type DashboardFlags,
  dashboardOptions,
  parseWithEnv,
  resolveDashboardSettings,
} from '../../src/index';

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
  const command = new Command('neuron')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined });
  for (const option of dashboardOptions('SIGNAL_TEST')) command.addOption(option);
  return parseWithEnv<DashboardFlags>(command, argv, env);
};

describe('dashboard flags', () => {
  it('are off without a port, loopback by default, and take env forms', () => {
    expect(resolveDashboardSettings(parse([]), {}, {})).toBe(false);
    expect(resolveDashboardSettings(parse(['--dashboard.port', '0']), {}, {})).toEqual({
      host: '127.0.0.1',
      port: 0,
    });
    const env = {
      SIGNAL_TEST_DASHBOARD_PORT: '8088',
      SIGNAL_TEST_DASHBOARD_TOKEN: 'from-the-env-0123456',
    };
    expect(resolveDashboardSettings(parse(['--dashboard.host', '0.0.0.0'], env), {}, env)).toEqual({
      host: '0.0.0.0',
      port: 8088,
      token: 'from-the-env-0123456',
    });
  });

  it('let a flag override the config, and read the token from the variable the config names', () => {
    const config = {
      dashboard: { port: 9000, host: '::1', token_env: 'MY_TOKEN', leaderboard: '/x/lb.json' },
    };
    expect(
      resolveDashboardSettings(parse(['--dashboard.port', '9001']), config, {
        MY_TOKEN: 'abcdefghijklmnop',
      }),
    ).toEqual({
      host: '::1',
      port: 9001,
      token: 'abcdefghijklmnop',
      leaderboardFile: '/x/lb.json',
    });
    expect(() => resolveDashboardSettings(parse([]), config, {})).toThrow(
      expect.objectContaining({ code: 'DASHBOARD_TOKEN_ENV_UNSET' }),
    );
  });

  it('refuse a port out of range by name', () => {
    expect(() => parse(['--dashboard.port', '70000'])).toThrow(
      /--dashboard\.port must be an integer/,
    );
  });
});
