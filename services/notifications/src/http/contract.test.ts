import { randomBytes } from 'node:crypto';
import { createLogger } from '@mutirao/telemetry';
import { documentedRoutes, mountedRoutes, openApiProblems } from '@mutirao/testing';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../app';
import type { Directory } from '../store/directory';
import type { InboxRepo } from '../store/inbox';
import { People } from '../usecases/people';

// The app as the service mounts it; no store is reached by these requests.
const app = buildApp({
  logger: createLogger('notifications-contract', 'silent'),
  readiness: { database: () => true, kafka: () => true },
  people: new People({
    inbox: {} as InboxRepo,
    directory: { person: () => undefined, organisation: () => undefined } as unknown as Directory,
    secret: randomBytes(32),
  }),
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

describe("the notifications service's OpenAPI document", () => {
  it('is valid OpenAPI 3.1', async () => {
    const doc = await document();
    expect(doc.openapi).toBe('3.1.0');
    expect(await openApiProblems(doc)).toEqual([]);
  });

  it('names every mounted route, and no route that is not mounted', async () => {
    expect(documentedRoutes(await document())).toEqual(mountedRoutes(app));
  });

  it('documents the unsubscribe pages as HTML open to anyone, and the lists as signed-in JSON', async () => {
    const doc = await document();
    const page = doc.paths['/unsubscribe/{token}'];
    expect(page.get.security).toBeUndefined();
    expect(Object.keys(page.get.responses['200'].content)).toEqual(['text/html']);
    expect(Object.keys(page.post.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '503']));
    const list = doc.paths['/notifications'].get;
    expect(list.security).toEqual([{ bearerAuth: [] }]);
    expect(list.responses['200'].content['application/json'].schema.properties.unreadCount).toBeDefined();
    expect(doc.paths['/preferences'].put.requestBody.required).toBe(true);
  });
});

describe('refusals before any store is read', () => {
  it('a forged unsubscribe token is a 404, a malformed one a 400 naming the field', async () => {
    const { default: request } = await import('supertest');
    const forged = await request(app).post(
      '/unsubscribe/YWJj.cHJvcG9zYWwtYXBwcm92ZWQ.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    );
    expect(forged.status).toBe(404);
    expect(forged.headers['content-type']).toMatch(/problem\+json/);
    const bad = await request(app).get('/unsubscribe/not-a-token');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: 'token', message: 'not an unsubscribe token' }]);
  });

  it('the lists need a signed-in caller', async () => {
    const { default: request } = await import('supertest');
    expect((await request(app).get('/notifications')).status).toBe(401);
    expect((await request(app).put('/preferences').send({ kinds: {} })).status).toBe(401);
  });
});
