import type { Logger } from '@mutirao/telemetry';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { HttpError } from './errors';

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
    if (err instanceof HttpError) {
      payload = body(err.status, err.title, err.message, err.extra);
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
    res.status(payload.status).type('application/problem+json').json(payload);
  };
}
