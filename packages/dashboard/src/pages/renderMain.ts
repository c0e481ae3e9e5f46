import type { PageId } from '../api/DashboardInfo';
import { gatewayMain } from './gatewayPage';
import type { Html } from './html';
import { minersMain } from './minersPage';
import type { PageModel } from './PageModel';
import { qualityMain } from './qualityPage';
import { subnetMain } from './subnetPage';

const MAINS: Record<PageId, (model: PageModel) => Html> = {
  subnet: subnetMain,
  miners: minersMain,
  quality: qualityMain,
  gateway: gatewayMain,
};

/** A page's `<main>` content; the server renders it first, the browser again on every update. */
export function renderMain(model: PageModel): Html {
  return MAINS[model.page](model);
}
