import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { links } from './links';

/**
 * The hash routes of the web app, read from its source (services/web/public/js/app.js): each entry
 * of `ROUTES` opens with a regular expression literal anchored at both ends (`[/^\/review$/, …`).
 */
function webRoutes(): RegExp[] {
  const root = dirname(createRequire(import.meta.url).resolve('@mutirao/web/package.json'));
  const source = readFileSync(join(root, 'public', 'js', 'app.js'), 'utf8');
  const block = source.match(/const ROUTES = \[\n([\s\S]*?)\n\];/)?.[1];
  if (!block) throw new Error('no `const ROUTES = [ … ];` in app.js');
  const literals = [...block.matchAll(/\[\s*\/(\^[\s\S]*?\$)\/([dgimsuvy]*)\s*,/g)];
  // One literal per route: every route loads its page with `() => import(…)`.
  const pages = block.match(/\(\) => import\(/g)?.length ?? 0;
  if (literals.length !== pages)
    throw new Error(`read ${literals.length} route patterns for ${pages} routes`);
  return literals.map(([, body = '', flags]) => new RegExp(body, flags));
}

/** The path of a link as the router sees it: after `#`, before `?`. */
const routePath = (link: string): string => (link.split('#')[1] ?? '').split('?')[0] ?? '';

describe('the links the notifications carry', () => {
  const routes = webRoutes();

  it('reads the routes of the web app', () => {
    expect(routes.length).toBeGreaterThan(10);
    expect(routes.filter((r) => r.test('/review'))).toHaveLength(1);
    expect(routes.filter((r) => r.test('/needs/new'))).toHaveLength(1);
    expect(routes.filter((r) => r.test('/nowhere'))).toHaveLength(0);
  });

  // Every link a mail or an in-app item can carry, with an argument where it takes one.
  const every = Object.entries(links).map(([name, make]) => [name, make('an-id-or-token')] as const);

  it.each(every)('%s (%s) leads to a page the web app has', (_name, link) => {
    expect(link).toMatch(/^\/#\//);
    const path = routePath(link);
    expect(
      routes.filter((r) => r.test(path)).map(String),
      `${path}: no route of services/web/public/js/app.js`,
    ).toHaveLength(1);
  });
});
