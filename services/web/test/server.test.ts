import { get, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { createLogger } from '@mutirao/telemetry';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { buildApp, loadPublicAssets } from '../src/app';

// Nothing listens on port 9 (discard) on these machines: every proxied call fails to connect.
const DOWN = 'http://127.0.0.1:9';
const assets = loadPublicAssets();
const app = buildApp({
  config: {
    PROFILES_URL: DOWN,
    EXCHANGE_URL: DOWN,
    MATCHING_URL: DOWN,
    NOTIFICATIONS_URL: DOWN,
    FOLLOWUP_URL: DOWN,
  },
  logger: createLogger('web', 'silent'),
  fetchReady: async () => false,
  assets,
});

/** The bytes as they cross the wire (supertest would decompress them for us). */
function wire(
  path: string,
  acceptEncoding: string,
  through = app,
): Promise<{ headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const server = through.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      get({ host: '127.0.0.1', port, path, headers: { 'accept-encoding': acceptEncoding } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          server.close();
          resolve({ headers: res.headers, body: Buffer.concat(chunks) });
        });
      }).on('error', reject);
    });
  });
}

describe('vocabularies', () => {
  it('serves every vocabulary with labels in the requested language', async () => {
    const pt = await request(app).get('/vocab/pt.json').expect(200).expect('content-type', /json/);
    const mz = pt.body.countries.find((c: { c: string }) => c.c === 'MZ');
    expect(mz.n).toBe('Moçambique');
    expect(pt.body.regions.find((r: { c: string }) => r.c === 'Eastern Africa').n).toBe('África Oriental');
    expect(pt.body.vocabularies.needType.find((v: { c: string }) => v.c === 'financing').n).toBe(
      'Financiamento',
    );
    expect(pt.body.sdgs).toHaveLength(17);
    const fr = await request(app).get('/vocab/fr.json').expect(200);
    expect(fr.body.countries.find((c: { c: string }) => c.c === 'MZ').n).toBe('Mozambique');
    expect(fr.body.languages.find((l: { c: string }) => l.c === 'pt').n).toMatch(/portugais/i);
    // The SDG targets, for the outcome reports' picker: every one, in the UN's French.
    expect(fr.body.sdgTargets).toHaveLength(169);
    expect(fr.body.sdgTargets.find((t: { c: string }) => t.c === '8.3').n).toMatch(/emplois décents/);
  });

  it('has no document for a language the UI does not offer', async () => {
    await request(app).get('/vocab/de.json').expect(404);
  });
});

describe('compression and caching', () => {
  it('sends brotli to browsers that take it, gzip to the others, and the same bytes either way', async () => {
    const br = await wire('/vocab/en.json', 'gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    const gz = await wire('/vocab/en.json', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    const plain = await wire('/vocab/en.json', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    const text = plain.body.toString('utf8');
    expect(brotliDecompressSync(br.body).toString('utf8')).toBe(text);
    expect(gunzipSync(gz.body).toString('utf8')).toBe(text);
    expect(br.body.length).toBeLessThan(text.length / 3);
  });

  it('caches versioned assets for a year and revalidates the page and unversioned addresses', async () => {
    const page = await request(app).get('/').expect(200);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.text).toContain(`/v/${assets.version}/js/app.js`);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    const js = await request(app).get(`/v/${assets.version}/js/app.js`).expect(200);
    expect(js.headers['cache-control']).toMatch(/max-age=31536000, immutable/);
    expect(js.headers['content-type']).toMatch(/text\/javascript/);
    const old = await request(app).get('/v/outdated0000/js/app.js').expect(200);
    expect(old.headers['cache-control']).toBe('no-cache');
    await request(app)
      .get('/js/app.js')
      .set('if-none-match', js.headers.etag ?? '')
      .expect(304);
  });

  it('answers 404 as a problem for a file that does not exist', async () => {
    await request(app)
      .get('/v/x/nothing.js')
      .expect(404)
      .expect('content-type', /problem\+json/);
  });
});

describe('proxy', () => {
  it('turns an unreachable service into a 502 problem naming it', async () => {
    const res = await request(app).get('/api/exchange/needs').expect(502);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 502, detail: expect.stringContaining('exchange') });
  });

  it('is not ready while the services behind it are down', async () => {
    await request(app).get('/readyz').expect(503);
  });
});

describe('proxy compression', () => {
  it('compresses large JSON answers of the services and passes small ones as they are', async () => {
    const upstream = express();
    upstream.get('/small', (_req, res) => {
      res.json({ id: 'n1', title: 'A need' });
    });
    upstream.get('/large', (_req, res) => {
      res.json({ items: Array.from({ length: 200 }, (_, i) => ({ id: `n${i}`, title: 'A need' })) });
    });
    const server = await new Promise<Server>((resolve) => {
      const s = upstream.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const { port } = server.address() as AddressInfo;
      const proxied = buildApp({
        config: {
          PROFILES_URL: DOWN,
          EXCHANGE_URL: `http://127.0.0.1:${port}`,
          MATCHING_URL: DOWN,
          NOTIFICATIONS_URL: DOWN,
          FOLLOWUP_URL: DOWN,
        },
        logger: createLogger('web', 'silent'),
        fetchReady: async () => false,
        assets,
      });
      const small = await wire('/api/exchange/small', 'br, gzip', proxied);
      expect(small.headers['content-encoding']).toBeUndefined();
      expect(JSON.parse(small.body.toString('utf8'))).toEqual({ id: 'n1', title: 'A need' });
      const large = await wire('/api/exchange/large', 'br, gzip', proxied);
      expect(large.headers['content-encoding']).toBe('br');
      expect(JSON.parse(brotliDecompressSync(large.body).toString('utf8')).items).toHaveLength(200);
    } finally {
      server.close();
    }
  });
});
