import {
  extendZodWithOpenApi,
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type RouteConfig,
} from '@asteasolutions/zod-to-openapi';
import type { Request, RequestHandler, Response } from 'express';
import { Router } from 'express';
import { z } from 'zod';
import { type Principal, type Role, requireAuth, requireRole, type TokenVerifier } from './auth';
import { parse } from './validate';

// Adds `.openapi()` to zod's schemas, which the registry uses to name components.
extendZodWithOpenApi(z);

/** Who may call an operation: anyone, any signed-in caller, or holders of one of these roles. */
export type Access = 'anyone' | 'signed-in' | readonly Role[];

/** A success answer of an operation: no schema means no body. */
export interface Answer {
  description: string;
  schema?: z.ZodType;
  /** Answer headers worth naming (Location, …). */
  headers?: Record<string, string>;
  /** The media type of the body when it is not JSON (`text/html`: the handler's value is sent as it is). */
  contentType?: string;
}

/**
 * A refusal an operation may answer beyond those its inputs and access imply: 401 for an
 * operation open to anyone that checks credentials itself (signing in), 403 for one open to any
 * signed-in caller whose use case refuses some of them (another organisation's data, callers
 * without an organisation).
 */
export type Refusal = 401 | 403 | 404 | 409 | 410 | 429;

/** An answer with a status other than the operation's first success status. */
export class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

export interface Operation<P, Q, B> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express syntax: `/needs/:id`. */
  path: string;
  summary: string;
  description?: string;
  tags?: string[];
  access: Access;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Success answers by status: the handler's value goes out with the lowest, a `Reply` with its own. */
  responses: Record<number, Answer>;
  refusals?: Refusal[];
  handle: (input: {
    params: P;
    query: Q;
    body: B;
    /** The verified caller, for operations that need one. */
    principal: Principal;
    req: Request;
    res: Response;
  }) => Promise<unknown> | unknown;
}

/** The problem+json body every refusal and error has (RFC 9457). */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    retryAfterSeconds: z.number().optional(),
  })
  .meta({ id: 'Problem' });

const REFUSAL_TEXT: Record<number, string> = {
  400: 'the request breaks a rule; `errors` names each field and why',
  401: 'no valid access token',
  403: 'the caller may not do this',
  404: 'no such resource (or not one the caller may see)',
  409: 'the current state does not allow it, or it changed meanwhile',
  410: 'it existed and is gone',
  413: 'the body is larger than this operation accepts',
  429: 'too many attempts; see Retry-After',
  503: 'a server this service needs is not answering; see Retry-After',
};

/** `/needs/:id` as OpenAPI writes it: `/needs/{id}`. */
export const openApiPath = (path: string): string => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/**
 * A service's HTTP operations, declared once: each declaration mounts its express route (access
 * check, zod parsing of path, query and body, the handler) and describes it in the service's
 * OpenAPI 3.1 document, with the same schemas. A route not declared here is in neither.
 */
export class Api {
  private readonly ops: Operation<unknown, unknown, unknown>[] = [];

  constructor(
    readonly info: { title: string; version: string; description?: string },
    private readonly verify?: TokenVerifier,
  ) {}

  op<P = Record<string, never>, Q = Record<string, never>, B = undefined>(o: Operation<P, Q, B>): void {
    if (o.access !== 'anyone' && !this.verify)
      throw new Error(`${o.method.toUpperCase()} ${o.path} needs a token verifier`);
    this.ops.push(o as unknown as Operation<unknown, unknown, unknown>);
  }

  /** Every declared operation, `METHOD /path` in OpenAPI form. */
  operations(): string[] {
    return this.ops.map((o) => `${o.method.toUpperCase()} ${openApiPath(o.path)}`);
  }

  /** The express routes of every operation, in declaration order. */
  router(): Router {
    const r = Router();
    for (const o of this.ops) {
      const guards: RequestHandler[] = [];
      if (o.access !== 'anyone' && this.verify) guards.push(requireAuth(this.verify));
      if (Array.isArray(o.access)) guards.push(requireRole(...(o.access as Role[])));
      r[o.method](o.path, ...guards, async (req, res) => {
        const params = o.params ? parse(o.params, req.params, 'path') : {};
        const query = o.query ? parse(o.query, req.query, 'query') : {};
        const body = o.body ? parse(o.body, req.body ?? {}) : undefined;
        const value = await o.handle({
          params,
          query,
          body,
          principal: req.principal as Principal,
          req,
          res,
        });
        if (res.headersSent) return;
        const ok = Math.min(...Object.keys(o.responses).map(Number));
        const reply = value instanceof Reply ? value : new Reply(ok, value);
        for (const [k, v] of Object.entries(reply.headers)) res.setHeader(k, v);
        const answer = o.responses[reply.status];
        if (answer?.schema === undefined) res.status(reply.status).end();
        else if (answer.contentType) res.status(reply.status).type(answer.contentType).send(reply.body);
        else res.status(reply.status).json(reply.body);
      });
    }
    return r;
  }

  /** The OpenAPI 3.1 document of every operation. */
  document(): ReturnType<OpenApiGeneratorV31['generateDocument']> {
    const registry = new OpenAPIRegistry();
    const bearer = registry.registerComponent('securitySchemes', 'bearerAuth', {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    const problem = registry.register('Problem', Problem);
    for (const o of this.ops) {
      const signedIn = o.access !== 'anyone';
      const refusals = new Set<number>([503, ...(o.refusals ?? [])]);
      if (o.params || o.query || o.body) refusals.add(400);
      if (o.body) refusals.add(413);
      if (signedIn) refusals.add(401);
      if (Array.isArray(o.access)) refusals.add(403);
      const responses: RouteConfig['responses'] = {};
      for (const [status, a] of Object.entries(o.responses)) {
        responses[status] = {
          description: a.description,
          ...(a.headers
            ? {
                headers: Object.fromEntries(
                  Object.entries(a.headers).map(([h, d]) => [
                    h,
                    { description: d, schema: { type: 'string' } },
                  ]),
                ),
              }
            : {}),
          ...(a.schema ? { content: { [a.contentType ?? 'application/json']: { schema: a.schema } } } : {}),
        };
      }
      for (const status of [...refusals].sort()) {
        if (o.responses[status]) continue;
        responses[String(status)] = {
          description: REFUSAL_TEXT[status] ?? 'refused',
          ...(status === 429 || status === 503
            ? { headers: { 'Retry-After': { description: 'seconds to wait', schema: { type: 'string' } } } }
            : {}),
          content: { 'application/problem+json': { schema: problem } },
        };
      }
      const access =
        o.access === 'anyone'
          ? 'Anyone may call this.'
          : o.access === 'signed-in'
            ? 'Any signed-in caller.'
            : `Signed-in callers with the ${(o.access as Role[]).join(' or ')} role.`;
      registry.registerPath({
        method: o.method,
        path: openApiPath(o.path),
        summary: o.summary,
        description: [o.description, access].filter(Boolean).join('\n\n'),
        ...(o.tags ? { tags: o.tags } : {}),
        ...(signedIn ? { security: [{ [bearer.name]: [] }] } : {}),
        request: {
          ...(o.params ? { params: o.params as z.ZodObject } : {}),
          ...(o.query ? { query: o.query as z.ZodObject } : {}),
          ...(o.body
            ? { body: { required: true, content: { 'application/json': { schema: o.body } } } }
            : {}),
        },
        responses,
      });
    }
    return new OpenApiGeneratorV31(registry.definitions).generateDocument({
      openapi: '3.1.0',
      info: this.info,
      servers: [{ url: '/' }],
    });
  }
}
