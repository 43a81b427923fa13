/**
 * The services' APIs through the web server (`/api/<service>/...`), with the session's token.
 * Errors are RFC 9457 problems; a 400 carries `errors: [{ path, message }]` for the form fields.
 */

const KEY = 'mutirao.session';

/** @typedef {{ sub: string, org?: string, roles: string[], regions: string[] }} Principal */
/** @typedef {{ token: string, expiresAt: string, me: Principal }} Session */

/** @returns {Session | null} */
export function session() {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
    if (s && new Date(s.expiresAt).getTime() > Date.now()) return s;
  } catch {
    // A damaged entry is the same as none.
  }
  return null;
}

/** @param {Session | null} s */
export function setSession(s) {
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
  else sessionStorage.removeItem(KEY);
}

/** @param {string} role */
export const hasRole = (role) => Boolean(session()?.me.roles.includes(role));
export const isStaff = () => hasRole('coordinator') || hasRole('admin');

export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {{ title?: string, detail?: string, errors?: { path: string, message: string }[] }} problem
   */
  constructor(status, problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.errors = problem.errors ?? [];
  }
}

/** Called on a 401, so that the app can send the user to sign in. */
let onUnauthorized = () => {};
/** @param {() => void} fn */
export const whenUnauthorized = (fn) => {
  onUnauthorized = fn;
};

/**
 * @param {string} path e.g. `/api/exchange/needs`
 * @param {{ method?: string, body?: unknown, query?: Record<string, string | number | undefined | null> }} [opts]
 * @returns {Promise<any>}
 */
export async function api(path, opts = {}) {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(opts.query ?? {}))
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
  /** @type {Record<string, string>} */
  const headers = { accept: 'application/json, application/problem+json' };
  const s = session();
  if (s) headers.authorization = `Bearer ${s.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  let res;
  try {
    res = await fetch(url, {
      method: opts.method ?? (opts.body === undefined ? 'GET' : 'POST'),
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch {
    throw new ApiError(0, { title: 'offline' });
  }
  const type = res.headers.get('content-type') ?? '';
  const data = type.includes('json') ? await res.json().catch(() => ({})) : {};
  if (res.ok) return data;
  if (res.status === 401 && s) {
    setSession(null);
    onUnauthorized();
  }
  throw new ApiError(res.status, data);
}

/**
 * Every page of a cursor-paginated list, up to `max` items.
 * @param {string} path
 * @param {Record<string, string | number | undefined>} query
 * @param {number} [max]
 */
export async function all(path, query, max = 1000) {
  /** @type {any[]} */
  const items = [];
  /** @type {string | undefined} */
  let cursor;
  do {
    const page = await api(path, { query: { ...query, limit: 100, cursor } });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && items.length < max);
  return items;
}

/** @type {Map<string, Promise<any>>} */
const orgs = new Map();
/**
 * An organisation's profile, once per page view (contact details appear when the profiles service
 * allows them, so the cache is dropped on every navigation).
 * @param {string} id
 */
export function organisation(id) {
  let p = orgs.get(id);
  if (!p) {
    p = api(`/api/profiles/organisations/${encodeURIComponent(id)}`).catch(() => null);
    orgs.set(id, p);
  }
  return p;
}
export const forgetOrganisations = () => orgs.clear();

/**
 * Signs in and keeps the token for this browser tab only (sessionStorage).
 * @param {string} email
 * @param {string} password
 */
export async function signIn(email, password) {
  const s = await api('/api/profiles/sessions', { body: { email, password } });
  setSession({ token: s.token, expiresAt: s.expiresAt, me: { sub: '', roles: [], regions: [] } });
  const me = await api('/api/profiles/me');
  setSession({ token: s.token, expiresAt: s.expiresAt, me: { regions: [], ...me } });
}
