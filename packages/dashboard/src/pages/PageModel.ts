import type { DashboardInfo, PageId } from '../api/DashboardInfo';
import type { GatewayView } from '../api/GatewayView';
import type { MinerDetail } from '../api/MinerDetail';
import type { MinersView } from '../api/MinersView';
import type { QualityView } from '../api/QualityView';
import type { SubnetView } from '../api/SubnetView';
import type { SortState } from './sortableTable';

/** The JSON views a page draws; `views` names the ones its live updates follow. */
export interface PageData {
  subnet?: SubnetView;
  miners?: MinersView;
  detail?: MinerDetail | null;
  quality?: QualityView;
  gateway?: GatewayView;
  /** Views whose source failed, with the message to show in their place. */
  errors?: Partial<Record<'subnet' | 'miners' | 'detail' | 'quality' | 'gateway', string>>;
}

/** What a reader chose on the page: the table's order and, on Miners, the selected uid. */
export interface PageState {
  sort?: SortState;
  uid?: number | null;
}

/** Everything one render needs; the server and the browser build the same object. */
export interface PageModel {
  page: PageId;
  info: DashboardInfo;
  data: PageData;
  state: PageState;
}

/** The views each page follows live (the Miners detail follows `miners`). */
export const PAGE_VIEWS: Record<
  PageId,
  ReadonlyArray<'subnet' | 'miners' | 'quality' | 'gateway'>
> = {
  subnet: ['subnet'],
  miners: ['miners'],
  quality: ['quality'],
  gateway: ['gateway'],
};
