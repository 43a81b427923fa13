import { systemClock } from '@mutirao/kernel';
import { createLogger } from '@mutirao/telemetry';
import { documentedRoutes, mountedRoutes, openApiProblems } from '@mutirao/testing';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../app';
import type { TokenIssuer } from '../identity/issuer';
import type { Stores } from '../store';

// The app as the service mounts it; no handler runs here, so the stores are never called.
const app = buildApp({
  logger: createLogger('profiles-contract', 'silent'),
  readiness: { database: () => true, kafka: () => true },
  stores: {} as Stores,
  now: systemClock,
  topics: { organisation: 'organisations', person: 'persons', access: 'access' },
  issuer: {} as TokenIssuer,
  onWrite: () => undefined,
  verify: async () => {
    throw new Error('not called');
  },
});

type Responses = Record<string, { headers?: Record<string, unknown>; content?: Record<string, unknown> }>;
type Operation = { security?: unknown; description: string; responses: Responses };

async function document() {
  const { default: request } = await import('supertest');
  const res = await request(app).get('/openapi.json');
  expect(res.status).toBe(200);
  return res.body as { openapi: string; paths: Record<string, Record<string, Operation>> };
}

describe("the profiles service's OpenAPI document", () => {
  it('is valid OpenAPI 3.1', async () => {
    const doc = await document();
    expect(doc.openapi).toBe('3.1.0');
    expect(await openApiProblems(doc)).toEqual([]);
  });

  it('names every mounted route, and no route that is not mounted', async () => {
    expect(documentedRoutes(await document())).toEqual(mountedRoutes(app));
  });

  it('gives every success answer a JSON schema, and every refusal the problem+json one', async () => {
    const doc = await document();
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops))
        for (const [status, answer] of Object.entries(op.responses)) {
          const what = `${method.toUpperCase()} ${path} ${status}`;
          // A readiness check that fails answers 503 with the checks, not a problem.
          const answered = status.startsWith('2') || (path === '/readyz' && status === '503');
          if (answered) expect(answer.content?.['application/json'], what).toHaveProperty('schema');
          else
            expect(answer.content?.['application/problem+json'], what).toEqual({
              schema: { $ref: '#/components/schemas/Problem' },
            });
        }
  });

  it('gives every operation its security, answers and refusals', async () => {
    const doc = await document();
    const signIn = doc.paths['/sessions']?.post as Operation;
    expect(signIn.security).toBeUndefined();
    expect(Object.keys(signIn.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '429']));
    expect(signIn.responses['429']?.headers).toHaveProperty('Retry-After');
    expect(doc.paths['/.well-known/jwks.json']?.get?.security).toBeUndefined();
    expect(doc.paths['/organisations/register']?.post?.security).toBeUndefined();

    const list = doc.paths['/organisations']?.get as Operation;
    expect(list.security).toEqual([{ bearerAuth: [] }]);
    expect(list.description).toMatch(/coordinator or admin role/);
    expect(Object.keys(list.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '503']));

    const edit = doc.paths['/organisations/{id}']?.patch as Operation;
    expect(Object.keys(edit.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '404', '409', '413']),
    );
    const importMany = doc.paths['/organisations/import']?.post as Operation;
    expect(importMany.description).toMatch(/admin role/);
    expect(Object.keys(importMany.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '413']),
    );
    const byRef = doc.paths['/organisations/by-ref/{ref}']?.put as Operation;
    expect(Object.keys(byRef.responses)).toEqual(expect.arrayContaining(['200', '201']));
    const accept = doc.paths['/invitations/{token}/accept']?.post as Operation;
    expect(accept.security).toBeUndefined();
    expect(Object.keys(accept.responses)).toEqual(expect.arrayContaining(['201', '404', '409', '410']));
    expect(doc.paths['/healthz']?.get?.security).toBeUndefined();
  });

  it('describes the routes of people, invitations by mail and password resets', async () => {
    const doc = await document();
    const ask = doc.paths['/password-resets']?.post as Operation;
    expect(ask.security).toBeUndefined();
    expect(Object.keys(ask.responses).sort()).toEqual(['202', '400', '413', '429', '503']);
    expect(ask.responses['429']?.headers).toHaveProperty('Retry-After');
    const reset = doc.paths['/password-resets/{token}']?.post as Operation;
    expect(reset.security).toBeUndefined();
    expect(Object.keys(reset.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '410']));
    for (const [path, method] of [
      ['/me', 'get'],
      ['/me', 'patch'],
      ['/me/password', 'post'],
      ['/organisations/{id}/members/{memberId}', 'delete'],
      ['/organisations/{id}/invitations', 'post'],
    ] as const)
      expect(doc.paths[path]?.[method]?.security, `${method} ${path}`).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(doc.paths['/me/password']?.post?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '401', '404', '429']),
    );
    expect(Object.keys(doc.paths['/organisations/{id}/members/{memberId}']?.delete?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '401', '403', '404', '409']),
    );
  });
});
