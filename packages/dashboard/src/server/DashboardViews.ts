import type { ZodType } from 'zod';
import { type DashboardInfo, DashboardInfoSchema } from '../api/DashboardInfo';
import { GatewayViewSchema } from '../api/GatewayView';
import { type MinerDetail, MinerDetailSchema } from '../api/MinerDetail';
import { MinersViewSchema } from '../api/MinersView';
import { QualityViewSchema } from '../api/QualityView';
import { SubnetViewSchema } from '../api/SubnetView';
import type { DashboardSources } from '../sources/DashboardSources';
import { ViewCache } from './ViewCache';

export type ViewName = 'subnet' | 'miners' | 'quality' | 'gateway';
export const VIEW_NAMES: readonly ViewName[] = ['subnet', 'miners', 'quality', 'gateway'];

const SCHEMAS: Record<ViewName, ZodType<unknown>> = {
  subnet: SubnetViewSchema,
  miners: MinersViewSchema,
  quality: QualityViewSchema,
  gateway: GatewayViewSchema,
};

/** Miner details kept at once; each is one uid's history. */
const DETAIL_CACHE_SIZE = 64;

/** The sources behind their caches: one per view, and a bounded set of miner details. */
export class DashboardViews {
  readonly info: DashboardInfo;
  readonly caches = new Map<ViewName, ViewCache<unknown>>();
  readonly #sources: DashboardSources;
  readonly #refreshMs: number;
  readonly #details = new Map<number, ViewCache<MinerDetail | null>>();

  constructor(sources: DashboardSources, refreshMs: number) {
    this.#sources = sources;
    this.#refreshMs = refreshMs;
    for (const name of VIEW_NAMES) {
      const read = sources[name];
      if (read)
        this.caches.set(name, new ViewCache(name, read, SCHEMAS[name], { maxAgeMs: refreshMs }));
    }
    this.info = DashboardInfoSchema.parse({
      role: sources.role,
      netuid: sources.netuid,
      hotkey: sources.hotkey ?? null,
      pages: {
        subnet: this.caches.has('subnet'),
        miners: this.caches.has('miners'),
        quality: this.caches.has('quality'),
        gateway: this.caches.has('gateway'),
      },
      refresh_ms: refreshMs,
    });
  }

  detail(uid: number): ViewCache<MinerDetail | null> | undefined {
    const read = this.#sources.minerDetail;
    if (!read) return undefined;
    let cache = this.#details.get(uid);
    if (cache) {
      // Most recently used last, so the oldest is the one evicted.
      this.#details.delete(uid);
    } else {
      // A detail is the same history as the Miners view: once that view moved, the page
      // asks for the detail, and must get the epoch the table already shows.
      const miners = this.caches.get('miners');
      cache = new ViewCache(`miner ${uid}`, () => read(uid), MinerDetailSchema.nullable(), {
        maxAgeMs: this.#refreshMs,
        basis: () => miners?.current?.etag,
      });
      if (this.#details.size >= DETAIL_CACHE_SIZE) {
        this.#details.delete(this.#details.keys().next().value!);
      }
    }
    this.#details.set(uid, cache);
    return cache;
  }
}
