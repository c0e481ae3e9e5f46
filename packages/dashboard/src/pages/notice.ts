import { type Html, html } from './html';

/** What a page says instead of its content: the source is not here, or it failed. */
export function notice(kind: 'unavailable' | 'error' | 'empty', text: string): Html {
  return html`<p class="notice ${kind}" role="status">${text}</p>`;
}
