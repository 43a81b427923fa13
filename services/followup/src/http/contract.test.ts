import { createLogger } from '@mutirao/telemetry';
import { documentedRoutes, mountedRoutes, openApiProblems } from '@mutirao/testing';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../app';
import type { IatiDeps } from '../usecases/iati';
import type { PartnershipService } from '../usecases/partnerships';

// The app as the service mounts it; no handler runs here, so the use cases are never called.
const app = buildApp({
  logger: createLogger('followup-contract', 'silent'),
  readiness: { database: () => true, kafka: () => true },
  partnerships: {} as PartnershipService,
  iati: {} as IatiDeps,
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

describe("the follow-up's OpenAPI document", () => {
  it('is valid OpenAPI 3.1', async () => {
    const doc = await document();
    expect(doc.openapi).toBe('3.1.0');
    expect(await openApiProblems(doc)).toEqual([]);
  });

  it('names every mounted route, and no route that is not mounted', async () => {
    expect(documentedRoutes(await document())).toEqual(mountedRoutes(app));
  });

  it('documents the report refusals and the XML export', async () => {
    const doc = await document();
    const report = doc.paths['/partnerships/{id}/reports/{period}'].put;
    expect(Object.keys(report.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '404']),
    );
    expect(report.responses['400'].content['application/problem+json'].schema.$ref).toBe(
      '#/components/schemas/Problem',
    );
    const iati = doc.paths['/iati'].get;
    expect(Object.keys(iati.responses['200'].content)).toEqual(['application/xml']);
    expect(iati.description).toMatch(/coordinator/);
  });
});
