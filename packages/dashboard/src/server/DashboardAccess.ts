import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { DashboardError } from '../errors/DashboardError';

export const SESSION_COOKIE = 'signal_dashboard';
/** Shortest token accepted: a bearer token guarded only by its length must not be guessable. */
export const MIN_TOKEN_LENGTH = 16;

const digest = (text: string) => createHash('sha256').update(text).digest();
const sameSecret = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare);
}

/** The host part of a `Host` header (`[::1]:8080` → `[::1]`). */
function hostName(header: string): string {
  if (header.startsWith('[')) return header.slice(0, header.indexOf(']') + 1);
  return header.split(':')[0]!;
}

export type AccessVerdict = 'allowed' | 'unauthorized' | 'wrong_host';

/**
 * Who may read the dashboard. Without a token it listens on loopback only, and refuses a
 * request whose `Host` is not a loopback name, so a web page elsewhere cannot reach it by
 * DNS rebinding. With a token, every request needs `Authorization: Bearer <token>` or the
 * session cookie the login form sets (an HMAC of the token, so the cookie is not the token).
 */
export class DashboardAccess {
  readonly #token: string | undefined;
  readonly #session: string | undefined;

  constructor(options: { token?: string | undefined; host: string }) {
    const { token, host } = options;
    if (token !== undefined && token.length < MIN_TOKEN_LENGTH) {
      throw new DashboardError('DASHBOARD_TOKEN_WEAK', 'The dashboard token is too short.', {
        details: `--dashboard.token needs at least ${MIN_TOKEN_LENGTH} characters.`,
      });
    }
    if (token === undefined && !isLoopbackHost(host)) {
      throw new DashboardError(
        'DASHBOARD_TOKEN_REQUIRED',
        'Exposing the dashboard beyond loopback needs a token.',
        { details: `--dashboard.host ${host} was given without --dashboard.token.` },
      );
    }
    this.#token = token;
    this.#session =
      token === undefined
        ? undefined
        : createHmac('sha256', token).update('signal-dashboard-session-v1').digest('base64url');
  }

  get protected(): boolean {
    return this.#token !== undefined;
  }

  check(request: IncomingMessage): AccessVerdict {
    if (this.#token === undefined) {
      return isLoopbackHost(hostName(request.headers.host ?? '')) ? 'allowed' : 'wrong_host';
    }
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      return match && sameSecret(match[1]!, this.#token) ? 'allowed' : 'unauthorized';
    }
    const cookie = readCookie(request.headers.cookie, SESSION_COOKIE);
    return cookie !== undefined && sameSecret(cookie, this.#session!) ? 'allowed' : 'unauthorized';
  }

  /** Whether a token typed into the login form is the token. */
  accepts(candidate: string): boolean {
    return this.#token !== undefined && sameSecret(candidate, this.#token);
  }

  /** The `Set-Cookie` value of a session, scoped to the dashboard's path. */
  sessionCookie(path: string): string {
    return `${SESSION_COOKIE}=${this.#session}; Path=${path}; HttpOnly; SameSite=Strict`;
  }
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}
