import type { PageModel } from '../pages/PageModel';
import { PAGE_VIEWS } from '../pages/PageModel';
import type { BootData } from '../pages/pageShell';
import { renderMain } from '../pages/renderMain';

/*
 * The pages' script. The server has already rendered the page; this keeps it live and
 * interactive with the same renderers: header links re-sort the table in place, a miner's
 * row selects it, and the event stream says when a view changed, upon which the view's JSON
 * is fetched (with its ETag) and the content re-rendered. URLs follow the state, so a
 * reload or a shared link shows the same thing.
 */

const bootElement = document.getElementById('dashboard-boot');
if (bootElement?.textContent) start(JSON.parse(bootElement.textContent) as BootData);

function start(boot: BootData): void {
  const model: PageModel = { page: boot.page, info: boot.info, data: boot.data, state: boot.state };
  const etags: Record<string, string> = { ...boot.etags };
  const content = document.getElementById('content')!;
  const live = document.getElementById('live')!;
  const api = `${boot.base}/api`;

  const render = () => {
    content.innerHTML = renderMain(model).text;
  };

  const setLive = (state: 'live' | 'reconnecting', text: string) => {
    live.dataset.state = state;
    live.textContent = text;
  };

  const replaceUrl = () => {
    const query = new URLSearchParams();
    if (model.state.sort) {
      query.set('sort', model.state.sort.key);
      query.set('dir', model.state.sort.dir);
    }
    if (model.state.uid !== null && model.state.uid !== undefined) {
      query.set('uid', String(model.state.uid));
    }
    history.replaceState(null, '', `${location.pathname}?${query}`);
  };

  /** Fetches a view; false when it failed (the page keeps what it shows). */
  const fetchView = async (name: string, path: string): Promise<unknown | undefined> => {
    const headers: Record<string, string> = {};
    if (etags[name]) headers['if-none-match'] = etags[name]!;
    const response = await fetch(path, { headers, credentials: 'same-origin' });
    if (response.status === 304) return undefined;
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    const etag = response.headers.get('etag');
    if (etag) etags[name] = etag;
    return response.json();
  };

  // A click and a live update can fetch the detail at once, and their answers can arrive
  // in either order: only the latest request's answer is kept, so an older epoch never
  // overwrites a newer one.
  let detailRequest = 0;
  const refreshDetail = async () => {
    const uid = model.state.uid;
    if (uid === null || uid === undefined || !model.info.pages.miners) return;
    const request = ++detailRequest;
    try {
      const detail = await fetchView(`miner-${uid}`, `${api}/miners/${uid}`);
      if (request !== detailRequest) return;
      if (detail !== undefined) model.data.detail = detail as PageModel['data']['detail'];
      if (model.data.errors) delete model.data.errors.detail;
    } catch {
      if (request === detailRequest) model.data.detail = null;
    }
  };

  const refresh = async (view: string) => {
    try {
      const data = await fetchView(view, `${api}/${view}`);
      if (data !== undefined) {
        (model.data as Record<string, unknown>)[view] = data;
        if (model.data.errors) delete model.data.errors[view as 'subnet'];
      }
      if (view === 'miners') await refreshDetail();
      render();
      live.title = `updated ${new Date().toLocaleTimeString()}`;
    } catch {
      setLive('reconnecting', 'update failed, retrying');
    }
  };

  document.addEventListener('click', (event) => {
    const target = event.target as Element | null;
    if (!target || !content.contains(target)) return;
    if ((event as MouseEvent).ctrlKey || (event as MouseEvent).metaKey) return;
    const sortLink = target.closest<HTMLAnchorElement>('a[data-sort]');
    if (sortLink) {
      event.preventDefault();
      model.state.sort = {
        key: sortLink.dataset.sort!,
        dir: sortLink.dataset.dir === 'desc' ? 'desc' : 'asc',
      };
      render();
      replaceUrl();
      return;
    }
    const row = target.closest<HTMLElement>('[data-uid]');
    if (row && model.page === 'miners' && row.closest('#miners')) {
      event.preventDefault();
      model.state.uid = Number(row.dataset.uid);
      replaceUrl();
      void refreshDetail().then(() => {
        render();
        document.getElementById('miner-detail')?.scrollIntoView({ block: 'nearest' });
      });
    }
  });

  const views = PAGE_VIEWS[model.page].filter((view) => model.info.pages[view]);
  if (views.length === 0) return;
  const stream = new EventSource(`${api}/events?views=${views.join(',')}`, {
    withCredentials: true,
  });
  stream.addEventListener('open', () => setLive('live', 'live'));
  stream.addEventListener('error', () => setLive('reconnecting', 'reconnecting…'));
  stream.addEventListener('hello', (event) => {
    const hello = JSON.parse((event as MessageEvent<string>).data) as {
      etags: Record<string, string>;
    };
    for (const view of views) {
      if (hello.etags[view] !== etags[view]) void refresh(view);
    }
  });
  stream.addEventListener('change', (event) => {
    const change = JSON.parse((event as MessageEvent<string>).data) as {
      view: string;
      etag: string;
    };
    if (change.etag !== etags[change.view]) void refresh(change.view);
  });
}
