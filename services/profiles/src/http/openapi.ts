import { Router } from 'express';
import { z } from 'zod';
import {
  ImportedOrganisation,
  MemberInput,
  OrganisationPatch,
  RegistrationInput,
} from '../domain/organisation-input';
import { CoordinatorInput } from '../usecases/staff';
import { SignIn } from './identity';
import { Page } from './params';
import { CriterionBody, NoteBody, VerifyBody } from './verification';

type Who =
  | 'anyone'
  | 'signed-in'
  | 'member of the organisation or admin'
  | 'coordinator of the region or admin'
  | 'admin';
interface Op {
  method: 'get' | 'post' | 'put' | 'patch';
  path: string;
  summary: string;
  who: Who;
  body?: z.ZodType;
  query?: z.ZodObject;
}

/** Every route, its caller and its body: the OpenAPI document is generated from the same zod schemas the routes parse with. */
const OPS: Op[] = [
  {
    method: 'get',
    path: '/.well-known/jwks.json',
    summary: 'Public keys of the embedded issuer',
    who: 'anyone',
  },
  {
    method: 'post',
    path: '/sessions',
    summary: 'Sign in: a 15-minute access token',
    who: 'anyone',
    body: SignIn,
  },
  { method: 'get', path: '/me', summary: 'The claims of the calling token', who: 'signed-in' },
  {
    method: 'post',
    path: '/coordinators',
    summary: 'Create a coordinator with its regions',
    who: 'admin',
    body: CoordinatorInput,
  },
  {
    method: 'post',
    path: '/organisations/register',
    summary: 'Register an organisation and its first member',
    who: 'anyone',
    body: RegistrationInput,
  },
  {
    method: 'get',
    path: '/organisations',
    summary: 'Organisations in the caller’s regions (all for the admin), with contact, by cursor',
    who: 'coordinator of the region or admin',
    query: Page,
  },
  {
    method: 'get',
    path: '/organisations/{id}',
    summary: 'An organisation (contact for itself, agreed partners, coordinators, admin)',
    who: 'signed-in',
  },
  {
    method: 'patch',
    path: '/organisations/{id}',
    summary: 'Edit an organisation',
    who: 'member of the organisation or admin',
    body: OrganisationPatch,
  },
  {
    method: 'put',
    path: '/organisations/by-ref/{ref}',
    summary: 'Idempotent import by external ref',
    who: 'admin',
    body: ImportedOrganisation,
  },
  {
    method: 'get',
    path: '/organisations/{id}/members',
    summary: 'Members of an organisation',
    who: 'member of the organisation or admin',
  },
  {
    method: 'post',
    path: '/organisations/{id}/invitations',
    summary: 'A one-time invitation token (7 days)',
    who: 'member of the organisation or admin',
  },
  {
    method: 'post',
    path: '/invitations/{token}/accept',
    summary: 'Join an organisation with an invitation',
    who: 'anyone',
    body: MemberInput,
  },
  {
    method: 'get',
    path: '/verification/queue',
    summary: 'Pending organisations in the caller’s regions',
    who: 'coordinator of the region or admin',
    query: Page,
  },
  {
    method: 'get',
    path: '/organisations/{id}/verification',
    summary: 'The verification review',
    who: 'signed-in',
  },
  {
    method: 'put',
    path: '/organisations/{id}/verification/criteria/{criterion}',
    summary: 'Record one ILO 2022 criterion',
    who: 'coordinator of the region or admin',
    body: CriterionBody,
  },
  {
    method: 'post',
    path: '/organisations/{id}/verification/verify',
    summary: 'Verify',
    who: 'coordinator of the region or admin',
    body: VerifyBody,
  },
  {
    method: 'post',
    path: '/organisations/{id}/verification/decline',
    summary: 'Decline',
    who: 'coordinator of the region or admin',
    body: NoteBody,
  },
  {
    method: 'post',
    path: '/organisations/{id}/verification/revoke',
    summary: 'Revoke a verification',
    who: 'coordinator of the region or admin',
    body: NoteBody,
  },
];

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPS) {
    const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const query = op.query
      ? Object.entries(op.query.shape).map(([name, s]) => ({
          name,
          in: 'query',
          schema: schema(s as z.ZodType),
        }))
      : [];
    paths[op.path] = {
      ...paths[op.path],
      [op.method]: {
        summary: op.summary,
        description: `Who may call: ${op.who}.`,
        ...(op.who === 'anyone' ? { security: [] } : {}),
        ...(params.length || query.length ? { parameters: [...params, ...query] } : {}),
        ...(op.body
          ? { requestBody: { required: true, content: { 'application/json': { schema: schema(op.body) } } } }
          : {}),
        responses: { default: { description: 'JSON, or application/problem+json (RFC 9457) on error' } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Mutirão profiles service', version: '1' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    security: [{ bearer: [] }],
    paths,
  };
}

export function openApiRoutes(): Router {
  const r = Router();
  const doc = openApiDocument();
  r.get('/openapi.json', (_req, res) => {
    res.json(doc);
  });
  return r;
}
