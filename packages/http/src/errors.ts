/** The error hierarchy every service throws; `problemMiddleware` writes them as RFC 9457. */
export interface FieldProblem {
  /** JSON path of the offending field, e.g. `sectors.0` or `eligibility.countries.2`. */
  path: string;
  message: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

export class ValidationError extends HttpError {
  constructor(
    detail: string,
    readonly errors: FieldProblem[] = [],
  ) {
    super(400, 'Invalid request', detail, { errors });
  }
}
export class Unauthorized extends HttpError {
  constructor(detail = 'Sign in to do this.') {
    super(401, 'Unauthorized', detail);
  }
}
export class Forbidden extends HttpError {
  constructor(detail = 'You are not allowed to do this.') {
    super(403, 'Forbidden', detail);
  }
}
export class NotFound extends HttpError {
  constructor(detail = 'Not found.') {
    super(404, 'Not found', detail);
  }
}
export class Conflict extends HttpError {
  constructor(detail: string, extra: Record<string, unknown> = {}) {
    super(409, 'Conflict', detail, extra);
  }
}

export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}
