import type { Metagraph } from '@signal/chain';
import type { MinerTarget } from '../query/MinerTarget';

/**
 * The miners found by the last sync, shared by the epoch loop and the gateway. Replaced
 * whole after each sync, so a reader never sees a half-updated list.
 */
export class MinerDirectory {
  #miners: readonly MinerTarget[] = [];
  #metagraph: Metagraph | undefined;

  update(metagraph: Metagraph, miners: readonly MinerTarget[]): void {
    this.#metagraph = metagraph;
    this.#miners = miners;
  }

  get metagraph(): Metagraph | undefined {
    return this.#metagraph;
  }

  all(): readonly MinerTarget[] {
    return this.#miners;
  }

  ofTier(tier: string): MinerTarget[] {
    return this.#miners.filter((miner) => miner.tier === tier);
  }
}
