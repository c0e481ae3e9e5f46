import { integerIn, type NeuronFlags, neuronCommand } from '@signal/chain';
import { type Command, Option } from 'commander';

/** What the flags (or their env forms) said; anything absent falls back to the config file. */
export interface MinerFlags extends NeuronFlags {
  'axon.port'?: number;
  'axon.external_ip'?: string;
  'miner.config'?: string;
}

/** Every flag, Bittensor-style, with its `SIGNAL_MINER_*` env form; defaults are applied later. */
export function minerCommand(): Command {
  return neuronCommand({
    name: 'signal-miner',
    description: 'Serve Signal condensation (Condense, Inference, Metadata) on a Bittensor axon',
    envPrefix: 'SIGNAL_MINER',
    options: [
      new Option('--axon.port <port>', 'axon port [8091]')
        .env('SIGNAL_MINER_AXON_PORT')
        .argParser(integerIn('--axon.port', 0, 65535)),
      new Option('--axon.external_ip <ip>', 'IP advertised on chain').env(
        'SIGNAL_MINER_EXTERNAL_IP',
      ),
      new Option('--miner.config <file>', 'miner config (JSON or YAML)').env('SIGNAL_MINER_CONFIG'),
    ],
    metricsDescription: "Prometheus port [the config's metrics_port]",
  });
}
