import { openApiPath } from '@mutirao/http';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { Express } from 'express';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/**
 * Every route the app has mounted, as `METHOD /path` in OpenAPI form (`/needs/{id}`): read from
 * express's own router, so a route added beside the declared operations shows up here.
 */
export function mountedRoutes(app: Express): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const [method, on] of Object.entries(layer.route.methods))
          if (on && method !== '_all') found.push(`${method.toUpperCase()} ${openApiPath(layer.route.path)}`);
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk(((app as unknown as { router: { stack: Layer[] } }).router?.stack ?? []) as Layer[]);
  return found.sort();
}

/** Every operation an OpenAPI document describes, as `METHOD /path`. */
export function documentedRoutes(doc: { paths?: Record<string, Record<string, unknown>> }): string[] {
  const methods = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);
  return Object.entries(doc.paths ?? {})
    .flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => methods.has(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    )
    .sort();
}

/** The problems an OpenAPI document has against the OpenAPI 3.1 schema (none when valid). */
export async function openApiProblems(doc: unknown): Promise<string[]> {
  const validator = new Validator();
  const r = await validator.validate(doc as Parameters<Validator['validate']>[0]);
  if (r.valid) return [];
  return (Array.isArray(r.errors) ? r.errors : [r.errors]).map((e) => JSON.stringify(e));
}
