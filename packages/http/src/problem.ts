import { DomainError, type RefusalKind } from '@mutirao/kernel';
import type { Logger } from '@mutirao/telemetry';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { HttpError } from './errors';

/** Every refusal of the domain and use cases, as HTTP: the one place kinds become statuses. */
export const REFUSAL_STATUS: Record<RefusalKind, { status: number; title: string }> = {
  invalid: { status: 400, title: 'Invalid request' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  'not-found': { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict' },
  gone: { status: 410, title: 'Gone' },
  'too-many-requests': { status: 429, title: 'Too many requests' },
  unavailable: { status: 503, title: 'Service unavailable' },
};

/** Seconds a client should wait before trying again when a server we need is not answering. */
export const UNAVAILABLE_RETRY_SECONDS = 2;

/**
 * An error that says the database or the broker is not answering (it is down, or restarting):
 * the request may succeed a little later, so it is a 503 with Retry-After, not a 500.
 */
export function isOutage(err: unknown): boolean {
  const e = err as { name?: unknown; message?: unknown } | undefined;
  const name = typeof e?.name === 'string' ? e.name : '';
  const message = typeof e?.message === 'string' ? e.message : '';
  return (
    /^Mongo(ServerSelection|Network|NetworkTimeout|NotConnected|TopologyClosed)Error$/.test(name) ||
    (name === 'MongooseError' && /buffering timed out/.test(message)) ||
    /^KafkaJS(Connection|RequestTimeout|NumberOfRetriesExceeded)Error$/.test(name)
  );
}

const TYPE_BASE = 'https://mutirao.org/problems/';

/** 404 for any route nobody answered. */
export const notFoundHandler: RequestHandler = (req, res) => {
  res
    .status(404)
    .type('application/problem+json')
    .json({
      type: `${TYPE_BASE}not-found`,
      title: 'Not found',
      status: 404,
      detail: `No route for ${req.method} ${req.path}`,
      instance: req.originalUrl,
    });
};

/**
 * The last middleware of every app: writes `application/problem+json` (RFC 9457). Known errors
 * keep their status and detail; anything else is a 500 without internals (logged with its stack).
 */
export function problemMiddleware(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const body = (status: number, title: string, detail: string, extra: Record<string, unknown> = {}) => ({
      type: `${TYPE_BASE}${title.toLowerCase().replace(/[^a-z]+/g, '-')}`,
      title,
      status,
      detail,
      instance: req.originalUrl,
      ...extra,
    });
    let payload: ReturnType<typeof body>;
    let retryAfter: number | undefined;
    if (err instanceof DomainError) {
      const { status, title } = REFUSAL_STATUS[err.kind];
      retryAfter = err.retryAfterSeconds;
      payload = body(status, title, err.message, {
        ...(err.errors.length > 0 ? { errors: err.errors } : {}),
        ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}),
      });
    } else if (err instanceof HttpError) {
      const r = err.extra.retryAfterSeconds;
      if (typeof r === 'number') retryAfter = r;
      payload = body(err.status, err.title, err.message, err.extra);
    } else if (isOutage(err)) {
      logger.warn(
        { err: { name: err.name, message: err.message }, path: req.path },
        'a server we need is not answering',
      );
      retryAfter = UNAVAILABLE_RETRY_SECONDS;
      payload = body(
        503,
        'Service unavailable',
        'A server this service needs is not answering; try again shortly.',
        {
          retryAfterSeconds: retryAfter,
        },
      );
    } else if (err?.type === 'entity.too.large') {
      payload = body(
        413,
        'Payload too large',
        `The request body is larger than the limit of ${err.limit} bytes.`,
      );
    } else if (err?.type === 'entity.parse.failed') {
      payload = body(400, 'Invalid request', 'The request body is not valid JSON.', {
        errors: [{ path: '(body)', message: 'not valid JSON' }],
      });
    } else if (err?.type === 'encoding.unsupported' || err?.status === 415) {
      payload = body(415, 'Unsupported media type', String(err.message));
    } else {
      logger.error({ err, path: req.path }, 'unhandled error');
      payload = body(500, 'Internal error', 'Something went wrong on our side; it has been logged.');
    }
    if (retryAfter !== undefined) res.setHeader('Retry-After', String(Math.ceil(retryAfter)));
    res.status(payload.status).type('application/problem+json').json(payload);
  };
}
