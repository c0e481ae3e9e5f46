import { type DashboardFlags, dashboardOptions } from '@signal/chain';
import { Command, Option } from 'commander';
import { pino } from 'pino';
import { type DevnetOptions, DevnetOptionsSchema } from '../devnet/DevnetOptions';
import { formatReport } from '../devnet/formatReport';
import { Progress } from '../devnet/Progress';
import { runDevnet } from '../devnet/runDevnet';
import { Teardown } from '../devnet/Teardown';

/** Where the report goes; tests capture it, the binary writes stdout. */
export type DevnetCommandOutput = (text: string) => void;

interface DevnetFlags extends DashboardFlags {
  miners: string;
  epochs: string;
  'epoch.length': string;
  seed: string;
  dataDir: string;
  tasks: string;
  keepRunning?: boolean;
  json?: boolean;
  'logging.debug'?: boolean;
  commitReveal: boolean;
}

/** The flags checked as one schema; a bad one is reported by name, the way commander reports its own. */
function parseFlags(flags: DevnetFlags, command: Command): DevnetOptions {
  const number = (raw: string) => (raw.trim() === '' ? Number.NaN : Number(raw));
  const parsed = DevnetOptionsSchema.safeParse({
    miners: number(flags.miners),
    epochs: number(flags.epochs),
    epochLengthSeconds: number(flags['epoch.length']),
    seed: number(flags.seed),
    dataDir: flags.dataDir,
    tasksPerMiner: number(flags.tasks),
    keepRunning: flags.keepRunning ?? false,
    json: flags.json ?? false,
    debug: flags['logging.debug'] ?? false,
    commitReveal: flags.commitReveal,
    dashboard: {
      ...(flags['dashboard.host'] === undefined ? {} : { host: flags['dashboard.host'] }),
      ...(flags['dashboard.port'] === undefined ? {} : { port: flags['dashboard.port'] }),
      ...(flags['dashboard.token'] === undefined ? {} : { token: flags['dashboard.token'] }),
      ...(flags['dashboard.leaderboard'] === undefined
        ? {}
        : { leaderboardFile: flags['dashboard.leaderboard'] }),
    },
  });
  if (!parsed.success) {
    const names: Record<string, string> = {
      epochLengthSeconds: '--epoch.length',
      tasksPerMiner: '--tasks',
      dataDir: '--data-dir',
    };
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0]);
    command.error(`error: option ${names[field] ?? `--${field}`}: ${issue.message}`, {
      code: 'signal.devnet.invalidFlag',
      exitCode: 2,
    });
  }
  return parsed.data;
}

/** Block time once `--keep-running` hands over: one chain epoch every ten seconds. */
const BLOCK_MS = 1_000;

/** A flag with its env form, `SIGNAL_DEVNET_<NAME>`, as every Signal flag has one. */
function flag(flags: string, description: string, env: string, fallback?: string): Option {
  const option = new Option(flags, description).env(`SIGNAL_DEVNET_${env}`);
  return fallback === undefined ? option : option.default(fallback);
}

/** Resolves when `signal` aborts (Ctrl-C / SIGTERM). */
const aborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });

/**
 * `signal devnet`: a whole subnet on this machine, on loopback, then a report. SIGINT and
 * SIGTERM at any point abort the run and close everything it started (all in this process,
 * so nothing outlives it); a second Ctrl-C exits at once.
 */
export function devnetCommand(
  output: DevnetCommandOutput = (text) => process.stdout.write(text),
): Command {
  const command = new Command('devnet');
  for (const option of dashboardOptions('SIGNAL_DEVNET')) command.addOption(option);
  return command
    .description(
      'Run a whole Signal subnet on this machine (LocalChain, miners, validator, gateway, client)',
    )
    .addOption(
      flag(
        '--miners <n>',
        'honest miners, each with a different condenser (plus one poor miner)',
        'MINERS',
        '4',
      ),
    )
    .addOption(flag('--epochs <n>', 'validator epochs to run', 'EPOCHS', '1'))
    .addOption(
      flag(
        '--epoch.length <seconds>',
        'seconds between epochs with --keep-running',
        'EPOCH_LENGTH',
        '60',
      ),
    )
    .addOption(
      flag('--seed <n>', 'seed of the validator tasks and the client example', 'SEED', '1'),
    )
    .addOption(
      flag('--data-dir <dir>', 'cache for models, wallets and run state', 'DATA_DIR', '.devnet'),
    )
    .addOption(flag('--tasks <n>', 'tasks each miner answers per epoch', 'TASKS', '8'))
    .addOption(
      flag(
        '--keep-running',
        'after the report, keep the subnet and gateway up until Ctrl-C',
        'KEEP_RUNNING',
      ),
    )
    .addOption(
      flag('--json', 'print exactly one JSON object on stdout instead of the report', 'JSON'),
    )
    .addOption(
      flag(
        '--no-commit-reveal',
        'set weights in the clear instead of committing them timelocked',
        'NO_COMMIT_REVEAL',
      ),
    )
    .addOption(
      flag('--logging.debug', 'log the miners and the validator at debug level on stderr', 'DEBUG'),
    )
    .showHelpAfterError()
    .exitOverride()
    .action(async (flags: DevnetFlags, command: Command) => {
      const options = parseFlags(flags, command);
      const progress = new Progress();
      const teardown = new Teardown();
      const controller = new AbortController();
      let interrupts = 0;
      const onSignal = (name: NodeJS.Signals) => {
        interrupts += 1;
        if (interrupts > 1) process.exit(130);
        progress.step(`${name}: shutting down`);
        controller.abort(new Error(`interrupted by ${name}`));
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      const logger = pino(
        { name: 'signal-devnet', level: options.debug ? 'debug' : 'warn' },
        pino.destination(2),
      );
      try {
        const run = await runDevnet(options, {
          progress,
          teardown,
          signal: controller.signal,
          logger,
        });
        output(options.json ? `${JSON.stringify(run.report)}\n` : formatReport(run.report));
        if (options.keepRunning && !controller.signal.aborted) {
          // Blocks now pass on their own, so chain epochs keep paying incentive.
          const blocks = setInterval(() => {
            run.chain.advance(1).catch(() => undefined);
          }, BLOCK_MS);
          teardown.add('block producer', async () => clearInterval(blocks));
          run.validator.start();
          if (run.dashboardUrl) progress.step(`dashboard: ${run.dashboardUrl}`);
          progress.step(
            `running: gateway ${run.gatewayUrl}, API key ${run.apiKey}; Ctrl-C to stop`,
          );
          await aborted(controller.signal);
        }
      } catch (error) {
        if (!controller.signal.aborted) throw error;
        process.exitCode = 130;
      } finally {
        progress.step('closing');
        const failures = await teardown.close();
        for (const failure of failures) progress.step(failure.message);
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        logger.flush();
        progress.step('stopped');
      }
    });
}
