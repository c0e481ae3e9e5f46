import type { DashboardInfo } from '../api/DashboardInfo';
import type { GatewayView } from '../api/GatewayView';
import type { MinerDetail } from '../api/MinerDetail';
import type { MinersView } from '../api/MinersView';
import type { QualityView } from '../api/QualityView';
import type { SubnetView } from '../api/SubnetView';

/**
 * Where a dashboard's pages get their data. The process that serves the dashboard (the
 * validator, `signal gateway`, the devnet) implements the sources it has; a page whose
 * source is absent says so instead of showing nothing. Each read returns the JSON API's own
 * shape, which the server checks against its schema (dropping any field the schema does
 * not declare) before it reaches a page or a response.
 */
export interface DashboardSources {
  role: DashboardInfo['role'];
  netuid: number;
  /** The serving neuron's hotkey address, shown in the header. */
  hotkey?: string;
  subnet?: () => Promise<SubnetView>;
  miners?: () => Promise<MinersView>;
  /** One miner's history; null for a uid with none. */
  minerDetail?: (uid: number) => Promise<MinerDetail | null>;
  quality?: () => Promise<QualityView>;
  gateway?: () => Promise<GatewayView>;
}
