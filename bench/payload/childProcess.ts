import { type ChildProcess, fork } from 'node:child_process';

/** A benchmark side in its own process (so its memory is its own), driven over IPC. */
export class Child {
  private readonly waiting: Array<(message: Record<string, unknown>) => void> = [];
  private readonly exited: Promise<unknown>;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: Record<string, unknown>) => this.waiting.shift()?.(message));
    this.exited = new Promise((resolve) => child.once('exit', resolve));
  }

  /** Starts `script` (TypeScript, through tsx) and waits for its first message. */
  static async start(script: string): Promise<{ child: Child; hello: Record<string, unknown> }> {
    const child = new Child(
      fork(script, [], {
        execArgv: ['--expose-gc', '--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
    return { child, hello: await child.next() };
  }

  private next(): Promise<Record<string, unknown>> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  ask(command: Record<string, unknown>): Promise<Record<string, unknown>> {
    const answer = this.next();
    this.child.send(command);
    return answer;
  }

  async stop(): Promise<void> {
    this.child.send({ type: 'exit' });
    await this.exited;
  }
}
