import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { RequestHandler } from 'express';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};
const COMPRESSIBLE = /^(text\/|application\/(json|manifest\+json|javascript)|image\/svg)/;
/** Below this size a compressed answer saves less than its headers cost. */
const MIN_COMPRESS = 512;

export interface Asset {
  type: string;
  etag: string;
  raw: Buffer;
  gzip?: Buffer;
  br?: Buffer;
}

export interface Assets {
  /** A hash of every file: the versioned prefix `/v/<version>/` changes whenever one does. */
  version: string;
  get(path: string): Asset | undefined;
  paths(): string[];
}

function asset(path: string, raw: Buffer): Asset {
  const type = TYPES[extname(path)] ?? 'application/octet-stream';
  const etag = `"${createHash('sha256').update(raw).digest('base64url').slice(0, 22)}"`;
  if (!COMPRESSIBLE.test(type) || raw.length < MIN_COMPRESS) return { type, etag, raw };
  return {
    type,
    etag,
    raw,
    gzip: gzipSync(raw, { level: 9 }),
    br: brotliCompressSync(raw, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      },
    }),
  };
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/**
 * Reads the public folder once at start and compresses every text file with brotli and gzip at
 * their highest levels: the work is done once, not per request. `extra` adds generated files
 * (the vocabularies). `index.html` gets the versioned prefix written into it (`%BASE%`).
 */
export function loadAssets(dir: string, extra: Record<string, string> = {}): Assets {
  const files = new Map<string, Buffer>();
  for (const file of walk(dir)) files.set(relative(dir, file).split(sep).join('/'), readFileSync(file));
  for (const [path, text] of Object.entries(extra)) files.set(path, Buffer.from(text));
  const hash = createHash('sha256');
  for (const [path, body] of [...files].sort(([a], [b]) => a.localeCompare(b)))
    hash.update(path).update(body);
  const version = hash.digest('base64url').slice(0, 12);
  const map = new Map<string, Asset>();
  for (const [path, body] of files) {
    const text = path.endsWith('.html')
      ? Buffer.from(body.toString('utf8').replaceAll('%BASE%', `/v/${version}/`))
      : body;
    map.set(path, asset(path, text));
  }
  return { version, get: (p) => map.get(p), paths: () => [...map.keys()] };
}

function pickEncoding(accept: string | undefined, a: Asset): 'br' | 'gzip' | undefined {
  const acc = (accept ?? '').toLowerCase();
  if (a.br && /\bbr\b/.test(acc)) return 'br';
  if (a.gzip && /\bgzip\b/.test(acc)) return 'gzip';
  return undefined;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';
// Unversioned addresses are revalidated every time (a 304 costs a few hundred bytes).
const REVALIDATE = 'no-cache';

/**
 * Serves the assets: `/v/<version>/<path>` for a year (the version changes with the content), and
 * the same files unversioned with revalidation. The app routes with the URL hash, so `/` is its
 * only page.
 */
export function serveAssets(assets: Assets): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    let path = decodeURIComponent(req.path).replace(/^\/+/, '');
    let cache = REVALIDATE;
    const versioned = /^v\/([A-Za-z0-9_-]+)\/(.*)$/.exec(path);
    if (versioned) {
      path = versioned[2] ?? '';
      // An old version's address gets today's file, but must not be cached as if it were the old one.
      if (versioned[1] === assets.version) cache = IMMUTABLE;
    }
    if (path === '') path = 'index.html';
    const a = assets.get(path);
    if (!a) return next();
    if (path === 'index.html') cache = REVALIDATE;
    res.setHeader('Content-Type', a.type);
    res.setHeader('Cache-Control', cache);
    res.setHeader('ETag', a.etag);
    res.setHeader('Vary', 'Accept-Encoding');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (path.endsWith('.html')) {
      res.setHeader(
        'Content-Security-Policy',
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
      );
      res.setHeader('Referrer-Policy', 'no-referrer');
    }
    if (req.headers['if-none-match'] === a.etag) {
      res.status(304).end();
      return;
    }
    const enc = pickEncoding(req.headers['accept-encoding'], a);
    const body = enc ? (a[enc] ?? a.raw) : a.raw;
    if (enc) res.setHeader('Content-Encoding', enc);
    res.setHeader('Content-Length', String(body.length));
    res.status(200).end(req.method === 'HEAD' ? undefined : body);
  };
}
