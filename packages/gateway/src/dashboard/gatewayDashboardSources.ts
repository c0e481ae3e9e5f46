import type { ChainClient } from '@signal/chain';
import {
  chainSubnetSource,
  type DashboardSources,
  leaderboardQualitySource,
} from '@signal/dashboard';
import type { GatewayStore } from '../store/GatewayStore';
import { gatewayDashboardView } from './gatewayDashboardView';

export interface GatewayDashboardParameters {
  store: GatewayStore;
  /** A read-only chain for the Subnet page. */
  chain: ChainClient;
  netuid: number;
  /** The hotkey the gateway signs with (public). */
  hotkey: string;
  /** A `signal leaderboard --json` file for the Quality page; without it the page says so. */
  leaderboardFile?: string;
}

/**
 * The dashboard's sources as a standalone gateway has them: the subnet from the chain and
 * the store's keys and usage. A gateway scores nothing, so it has no Miners page of its own.
 */
export function gatewayDashboardSources(parameters: GatewayDashboardParameters): DashboardSources {
  return {
    role: 'gateway',
    netuid: parameters.netuid,
    hotkey: parameters.hotkey,
    subnet: chainSubnetSource(parameters.chain, parameters.netuid),
    gateway: gatewayDashboardView(parameters.store),
    ...(parameters.leaderboardFile === undefined
      ? {}
      : { quality: leaderboardQualitySource(parameters.leaderboardFile) }),
  };
}
