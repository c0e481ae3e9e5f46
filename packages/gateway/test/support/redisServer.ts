import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real `redis-server` for one test file, on a unix socket in its own directory. */
export interface RedisServer {
  /** `unix:///…/redis.sock`, for the gateway's `--gateway.redis-url`. */
  readonly url: string;
  readonly dir: string;
  /** SIGKILLs the server, as a crash would; its append-only file keeps what it acknowledged. */
  kill(): Promise<void>;
  /** Starts it again on the same socket and data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The binary must be there: `scripts/ensure-system-packages.sh` (run by `pnpm test`)
 * installs Debian's package. A missing one is a failure, never a skip.
 */
function assertRedisInstalled(): void {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'redis-server is not installed: run scripts/ensure-system-packages.sh (pnpm test does)',
    );
  }
}

/**
 * Starts `redis-server` with TCP off (`--port 0`: nothing to collide with) on a unix socket
 * in a fresh directory, with every write fsynced to its append-only file before it is
 * acknowledged, and waits for it to say it accepts connections.
 */
export async function startRedis(): Promise<RedisServer> {
  assertRedisInstalled();
  const dir = await mkdtemp(join(tmpdir(), 'signal-redis-'));
  const socket = join(dir, 'redis.sock');
  let child: ChildProcess | undefined;

  const launch = () =>
    new Promise<void>((resolve, reject) => {
      const process = spawn(
        'redis-server',
        [
          '--port',
          '0',
          '--unixsocket',
          socket,
          '--unixsocketperm',
          '700',
          '--dir',
          dir,
          '--appendonly',
          'yes',
          '--appendfsync',
          'always',
          '--save',
          '',
          '--daemonize',
          'no',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child = process;
      let output = '';
      const onData = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (/ready to accept connections/i.test(output)) {
          process.stdout?.off('data', onData);
          resolve();
        }
      };
      process.stdout?.on('data', onData);
      process.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
      process.once('error', reject);
    });

  const exit = (signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) {
        resolve();
        return;
      }
      running.once('exit', () => resolve());
      running.kill(signal);
    });

  await launch();
  return {
    url: `unix://${socket}`,
    dir,
    kill: () => exit('SIGKILL'),
    restart: launch,
    stop: async () => {
      await exit('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
