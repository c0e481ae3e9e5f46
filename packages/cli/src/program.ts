import { Command } from 'commander';
import { devnetCommand } from './commands/devnet';
import { gatewayCommand } from './commands/gateway';
import { leaderboardCommand } from './commands/leaderboard';
import { localchainCommand } from './commands/localchain';
import { loraCommand } from './commands/lora';
import { metagraphCommand } from './commands/metagraph';
import { modelsCommand } from './commands/models';
import { proxyCommand } from './commands/proxy';
import { serveCommand } from './commands/serve';
import { walletCommand } from './commands/wallet';
import { weightsCommand } from './commands/weights';

/**
 * The `signal` command tree. Each subcommand lives in `src/commands/<name>.ts` and
 * registers itself here, so the folder lists what the CLI can do.
 */
export function createProgram(): Command {
  const program = new Command('signal')
    .description('Signal: a Bittensor subnet for condensed-context inference')
    .showHelpAfterError()
    .exitOverride();
  program.addCommand(devnetCommand());
  program.addCommand(gatewayCommand());
  program.addCommand(leaderboardCommand());
  program.addCommand(localchainCommand());
  program.addCommand(loraCommand());
  program.addCommand(metagraphCommand());
  program.addCommand(modelsCommand());
  program.addCommand(proxyCommand());
  program.addCommand(serveCommand());
  program.addCommand(walletCommand());
  program.addCommand(weightsCommand());
  return program;
}
