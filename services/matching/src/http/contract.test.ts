import { createLogger } from '@mutirao/telemetry';
import { documentedRoutes, mountedRoutes, openApiProblems } from '@mutirao/testing';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../app';
import type { ProposalCommands } from '../usecases/commands';
import type { Consent } from '../usecases/consent';
import type { ProposalQueries } from '../usecases/proposals';
import type { Review } from '../usecases/review';

// The app as the service mounts it; no handler runs here but /progress, so the use cases are never called.
const app = buildApp({
  logger: createLogger('matching-contract', 'silent'),
  readiness: { database: () => true, kafka: () => true },
  review: {} as Review,
  consent: {} as Consent,
  commands: {} as ProposalCommands,
  queries: {} as ProposalQueries,
  progress: async () => ({ caughtUp: false, eventsWaiting: 3, needsWaiting: 1 }),
  calls: () => undefined,
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

const statuses = (op: { responses: Record<string, unknown> }) => Object.keys(op.responses).sort();

describe("matching's OpenAPI document", () => {
  it('is valid OpenAPI 3.1', async () => {
    const doc = await document();
    expect(doc.openapi).toBe('3.1.0');
    expect(await openApiProblems(doc)).toEqual([]);
  });

  it('names every mounted route, and no route that is not mounted', async () => {
    const doc = await document();
    expect(documentedRoutes(doc)).toEqual(mountedRoutes(app));
    expect(documentedRoutes(doc)).toEqual(
      expect.arrayContaining([
        'GET /progress',
        'GET /proposals',
        'GET /proposals/mine',
        'GET /proposals/{id}',
        'POST /proposals/{id}/review',
        'POST /proposals/{id}/accept',
        'POST /proposals/{id}/decline',
        'POST /calls/{offerId}/solve',
        'GET /calls/{offerId}/round',
        'GET /export/proposals',
      ]),
    );
  });

  it('gives every operation its security, answers and problem+json refusals', async () => {
    const doc = await document();
    const progress = doc.paths['/progress'].get;
    expect(progress.security).toBeUndefined();
    expect(progress.responses['200'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/Progress',
    );

    const queue = doc.paths['/proposals'].get;
    expect(queue.security).toEqual([{ bearerAuth: [] }]);
    expect(queue.description).toMatch(/coordinator or admin role/);
    expect(statuses(queue)).toEqual(['200', '400', '401', '403', '503']);
    expect(queue.responses['200'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/ProposalPage',
    );
    expect(queue.responses['403'].content['application/problem+json'].schema.$ref).toBe(
      '#/components/schemas/Problem',
    );
    expect(doc.components.schemas.ProposalPage.required).toEqual(['items', 'nextCursor']);

    // Open to any signed-in caller, refused to some of them: the 403 is documented too.
    expect(statuses(doc.paths['/proposals/mine'].get)).toEqual(['200', '401', '403', '503']);
    expect(statuses(doc.paths['/proposals/{id}'].get)).toEqual(['200', '400', '401', '404', '503']);
    const review = doc.paths['/proposals/{id}/review'].post;
    expect(statuses(review)).toEqual(['200', '400', '401', '403', '404', '409', '413', '503']);
    expect(review.requestBody.content['application/json'].schema.required).toEqual(['decision']);
    const accept = doc.paths['/proposals/{id}/accept'].post;
    expect(accept.requestBody).toBeUndefined();
    expect(statuses(accept)).toEqual(['200', '400', '401', '403', '404', '409', '503']);
    // A decline may say why (a reason code the ranking model learns from).
    const decline = doc.paths['/proposals/{id}/decline'].post;
    expect(Object.keys(decline.requestBody.content['application/json'].schema.properties)).toEqual([
      'reason',
    ]);
    expect(statuses(decline)).toEqual(['200', '400', '401', '403', '404', '409', '413', '503']);
    for (const op of [accept, decline])
      expect(op.responses['200'].content['application/json'].schema.$ref).toBe(
        '#/components/schemas/Proposal',
      );
    const solve = doc.paths['/calls/{offerId}/solve'].post;
    expect(solve.description).toMatch(/coordinator or admin role/);
    expect(statuses(solve)).toEqual(['200', '400', '401', '403', '404', '409', '503']);
    expect(solve.responses['200'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/CallRound',
    );
    const exported = doc.paths['/export/proposals'].get;
    expect(exported.description).toMatch(/admin role/);
    expect(statuses(exported)).toEqual(['200', '401', '403', '503']);
    expect(doc.paths['/healthz'].get.security).toBeUndefined();
  });

  it('answers /progress as documented, and a refusal as problem+json', async () => {
    const { default: request } = await import('supertest');
    const progress = await request(app).get('/progress');
    expect(progress.status).toBe(200);
    expect(progress.body).toEqual({ caughtUp: false, eventsWaiting: 3, needsWaiting: 1 });
    const noToken = await request(app).get('/proposals/mine');
    expect(noToken.status).toBe(401);
    expect(noToken.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});
