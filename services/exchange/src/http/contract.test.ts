import { createLogger } from '@mutirao/telemetry';
import { documentedRoutes, mountedRoutes, openApiProblems } from '@mutirao/testing';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../app';
import type { NeedContent, OfferContent } from '../domain/types';
import type { PostingService } from '../usecases/postings';

// The app as the service mounts it; no handler runs here, so the use cases are never called.
const app = buildApp({
  logger: createLogger('exchange-contract', 'silent'),
  readiness: { database: () => true, kafka: () => true },
  needs: {} as PostingService<NeedContent>,
  offers: {} as PostingService<OfferContent>,
  verify: async () => {
    throw new Error('not called');
  },
});

async function document() {
  const { default: request } = await import('supertest');
  const res = await request(app).get('/openapi.json');
  expect(res.status).toBe(200);
  return res.body;
}

describe("the exchange's OpenAPI document", () => {
  it('is valid OpenAPI 3.1', async () => {
    const doc = await document();
    expect(doc.openapi).toBe('3.1.0');
    expect(await openApiProblems(doc)).toEqual([]);
  });

  it('names every mounted route, and no route that is not mounted', async () => {
    expect(documentedRoutes(await document())).toEqual(mountedRoutes(app));
  });

  it('gives every operation its security, answers and problem+json refusals', async () => {
    const doc = await document();
    const browse = doc.paths['/needs'].get;
    expect(browse.security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(browse.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '503']));
    expect(browse.responses['400'].content['application/problem+json'].schema.$ref).toBe(
      '#/components/schemas/Problem',
    );
    const importNeeds = doc.paths['/needs/import'].post;
    expect(importNeeds.description).toMatch(/admin role/);
    expect(Object.keys(importNeeds.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '413']),
    );
    expect(doc.paths['/healthz'].get.security).toBeUndefined();
  });
});
