import { spawn } from 'node:child_process';
import { defaultOptions, ensureSchemathesis } from '@mutirao/infra';
import { type RunningSystem, startSystem, testEnv } from '@mutirao/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Schemathesis (from PyPI) over every operation of each service's OpenAPI document, through the
 * web address, as each role with a real token: no answer may be a server error, and every answer
 * must be one the document names, with the content type, headers and body schema it gives. The
 * examples are few per operation (the run must fit the suite's time), drawn afresh each run.
 */

const env = testEnv();
const SERVICES = ['profiles', 'exchange', 'matching', 'notifications', 'followup'] as const;
const ROLES = ['anonymous', 'member', 'coordinator', 'admin'] as const;
const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_headers_conformance',
  'response_schema_conformance',
].join(',');

let system: RunningSystem;
let st: string;
const tokens: Partial<Record<(typeof ROLES)[number], string>> = {};

async function call(path: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${system.webUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const signIn = async (email: string, password: string) =>
  (await call('/api/profiles/sessions', { email, password })).token as string;

beforeAll(async () => {
  st = ensureSchemathesis(defaultOptions());
  system = await startSystem(env);
  tokens.admin = await signIn(system.admin.email, system.admin.password);
  const password = 'correct horse battery staple';
  await call(
    '/api/profiles/coordinators',
    { name: 'Kofi', email: 'kofi@coordinators.test', password, regions: ['Western Africa'] },
    tokens.admin,
  );
  tokens.coordinator = await signIn('kofi@coordinators.test', password);
  await call('/api/profiles/organisations/register', {
    organisation: {
      name: 'Cooperativa Agrícola Esperança',
      kind: 'sse-entity',
      sseForm: 'cooperative',
      country: 'MZ',
      languages: ['pt'],
      sectors: ['31161'],
      description: 'Uma cooperativa de agricultoras.',
      contact: { email: 'geral@esperanca.example' },
    },
    member: { name: 'Ana', email: 'ana@esperanca.test', password },
  });
  tokens.member = await signIn('ana@esperanca.test', password);
}, 300_000);

afterAll(async () => {
  await system?.stop();
});

/** Runs Schemathesis once; resolves with its exit code and what it printed. */
function schemathesis(
  service: string,
  token: string | undefined,
): Promise<{ code: number | null; out: string }> {
  const base = `${system.webUrl}/api/${service}`;
  const args = [
    'run',
    `${base}/openapi.json`,
    '--url',
    base,
    '--checks',
    CHECKS,
    '--max-examples',
    '6',
    '--workers',
    '1',
    '--no-color',
    '--suppress-health-check',
    'all',
    ...(token ? ['-H', `Authorization: Bearer ${token}`] : []),
  ];
  return new Promise((resolve) => {
    const child = spawn(st, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe('every operation of every service conforms to its document', () => {
  for (const service of SERVICES) {
    for (const role of ROLES) {
      it(`${service} as ${role}`, async () => {
        const { code, out } = await schemathesis(service, tokens[role]);
        // The summary names every failure and how to reproduce it.
        if (code !== 0) console.log(out.slice(-6_000));
        expect(code, `Schemathesis on ${service} as ${role}`).toBe(0);
        expect(out).toMatch(/Test cases:\s*\n\s*\d+ generated, \d+ passed/);
      }, 240_000);
    }
  }
});
