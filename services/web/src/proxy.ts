import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { createBrotliCompress, createGzip, constants as zlib } from 'node:zlib';
import type { Logger } from '@mutirao/telemetry';
import type { RequestHandler } from 'express';

// Hop-by-hop headers (RFC 9110 §7.6.1) are not forwarded.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function forwardable(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !HOP_BY_HOP.has(k.toLowerCase())));
}

/**
 * Below this, an answer fits one TCP packet as it is: compressing it saves no round trip and costs
 * both ends CPU (bench/system: brotli was the web server's largest cost under a stream of posts).
 */
const COMPRESS_FROM_BYTES = 1_400;

/**
 * JSON answers are compressed on the way out unless the service already did or they are small;
 * streams are not.
 */
function compressorFor(accept: string | undefined, headers: IncomingHttpHeaders) {
  const type = String(headers['content-type'] ?? '');
  if (headers['content-encoding'] || !/json/.test(type)) return undefined;
  const length = Number(headers['content-length']);
  if (Number.isFinite(length) && length < COMPRESS_FROM_BYTES) return undefined;
  const acc = (accept ?? '').toLowerCase();
  // Quality 5: most of brotli's gain on small JSON at a fraction of its top level's cost.
  if (/\bbr\b/.test(acc))
    return { name: 'br', stream: createBrotliCompress({ params: { [zlib.BROTLI_PARAM_QUALITY]: 5 } }) };
  if (/\bgzip\b/.test(acc)) return { name: 'gzip', stream: createGzip({ level: 6 }) };
  return undefined;
}

/**
 * Streams a request to `target` with the mount path stripped (`/api/exchange/needs` ->
 * `<target>/needs`), and the answer back. An unreachable service is a 502 problem, not a hang.
 * Mounted before any body parser, so the body is streamed untouched.
 */
export function proxyTo(target: string, name: string, logger: Logger, timeoutMs = 30_000): RequestHandler {
  const base = new URL(target);
  return (req, res) => {
    const url = new URL(req.url, base);
    // `http.request` looked up at each call, not a named import bound at load: the telemetry hook's
    // patch (which sends the trace on to the service) did not always reach a named binding.
    const upstream = (base.protocol === 'https:' ? https : http).request(
      {
        protocol: base.protocol,
        hostname: base.hostname,
        port: base.port,
        method: req.method,
        path: `${base.pathname.replace(/\/$/, '')}${url.pathname}${url.search}`,
        headers: {
          ...forwardable(req.headers),
          host: base.host,
          'x-forwarded-for': req.socket.remoteAddress ?? '',
          'x-forwarded-proto': req.protocol,
          'x-forwarded-prefix': req.baseUrl,
        },
        timeout: timeoutMs,
      },
      (answer) => {
        res.status(answer.statusCode ?? 502);
        for (const [k, v] of Object.entries(forwardable(answer.headers)))
          if (v !== undefined) res.setHeader(k, v);
        const encoder = compressorFor(req.headers['accept-encoding'], answer.headers);
        if (!encoder) {
          answer.pipe(res);
          return;
        }
        res.removeHeader('content-length');
        res.setHeader('content-encoding', encoder.name);
        res.vary('Accept-Encoding');
        answer.pipe(encoder.stream).pipe(res);
      },
    );
    upstream.on('timeout', () => upstream.destroy(new Error('upstream timeout')));
    upstream.on('error', (err) => {
      logger.warn({ err: err.message, service: name }, 'upstream unavailable');
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res
        .status(502)
        .type('application/problem+json')
        .json({
          type: 'https://mutirao.org/problems/bad-gateway',
          title: 'Bad gateway',
          status: 502,
          detail: `The ${name} service is not answering. Try again in a moment.`,
          instance: req.originalUrl,
        });
    });
    req.pipe(upstream);
  };
}
