/** What every neuron's `run…Cli` takes besides its arguments; `Running` is what it starts. */
export interface NeuronCliOptions<Running = unknown> {
  /** Env for the flags' env forms and wallet passwords (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Stops the neuron when aborted; the binary aborts it on SIGINT and SIGTERM. */
  signal: AbortSignal;
  /** Where log lines go (default stderr); pino's `DestinationStream` fits. */
  logDestination?: { write(line: string): void };
  /** Called once the neuron runs, e.g. to report the port it took. */
  onStarted?: (running: Running) => void;
}

/** A neuron's entry point: runs with user arguments until `options.signal` aborts. */
export type NeuronMain = (argv: readonly string[], options: NeuronCliOptions) => Promise<void>;
