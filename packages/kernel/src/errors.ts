/**
 * Why a command is refused. The domain and the use cases say it in these words only; the HTTP layer
 * (`@mutirao/http`'s problem middleware) maps each kind to its status in one place.
 */
export type RefusalKind =
  /** 400: the input breaks a rule; `path` names the field. */
  | 'invalid'
  /** 401: the credentials offered (a sign-in's email and password) are wrong. */
  | 'unauthorized'
  /** 403: the caller may not do this. */
  | 'forbidden'
  /** 404: no such thing (or not one the caller may see). */
  | 'not-found'
  /** 409: the state does not allow it, or it changed under us too many times. */
  | 'conflict'
  /** 410: it existed and is gone (a used or expired token). */
  | 'gone'
  /** 429: too many attempts; `retryAfterSeconds` says when to try again. */
  | 'too-many-requests'
  /** 503: a server this service needs is not answering; `retryAfterSeconds` says when to try again. */
  | 'unavailable';

export interface FieldProblem {
  /** JSON path of the offending field, e.g. `sectors.0` or `items.3.country`. */
  path: string;
  message: string;
}

export class DomainError extends Error {
  readonly errors: FieldProblem[];
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly kind: RefusalKind,
    message: string,
    opts: { path?: string; errors?: FieldProblem[]; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.errors = opts.errors ?? (opts.path !== undefined ? [{ path: opts.path, message }] : []);
    this.retryAfterSeconds = opts.retryAfterSeconds;
  }

  /** The offending field, for `invalid`. */
  get path(): string | undefined {
    return this.errors[0]?.path;
  }
}

export const invalid = (message: string, path?: string) =>
  new DomainError('invalid', message, path !== undefined ? { path } : {});
export const forbidden = (message: string) => new DomainError('forbidden', message);
export const notFound = (message: string) => new DomainError('not-found', message);
export const conflict = (message: string) => new DomainError('conflict', message);
