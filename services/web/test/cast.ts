/**
 * The people of the story on the real system, set up through the public HTTP APIs (as the admin
 * would, before the story begins): a coordinator for Western Africa, a cooperative in
 * Guinea-Bissau and a technology provider in Rwanda, both registered with a first member and
 * verified. What happens next (post, review, accept, see the contact) goes through the browser.
 */
import type { RunningSystem } from '@mutirao/testing';

export const PASSWORD = 'a long enough password';

export interface Party {
  email: string;
  organisationId: string;
  /** The organisation's contact email, shown to the partner once both agreed. */
  contact: string;
}

export interface Cast {
  coordinator: string;
  entity: Party;
  partner: Party;
}

/** A JSON call through the web server; fails with the problem's text on any non-2xx answer. */
export async function call<T>(
  baseUrl: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function signInApi(baseUrl: string, email: string, password: string): Promise<string> {
  return (
    await call<{ token: string }>(baseUrl, 'POST', '/api/profiles/sessions', undefined, { email, password })
  ).token;
}

const CRITERIA = [
  'social-or-public-purpose',
  'voluntary-cooperation',
  'democratic-governance',
  'autonomy-independence',
  'people-over-capital',
];

/** Registers an organisation with its first member, then verifies it as the admin. */
async function registerVerified(
  baseUrl: string,
  admin: string,
  organisation: Record<string, unknown> & { kind: string; contact: { email: string } },
  email: string,
): Promise<Party> {
  const registered = await call<{ organisation: { id: string } }>(
    baseUrl,
    'POST',
    '/api/profiles/organisations/register',
    undefined,
    { organisation, member: { name: `Member ${email}`, email, password: PASSWORD } },
  );
  const id = registered.organisation.id;
  const base = `/api/profiles/organisations/${id}/verification`;
  if (organisation.kind === 'sse-entity')
    for (const criterion of CRITERIA)
      await call(baseUrl, 'PUT', `${base}/criteria/${criterion}`, admin, {
        met: true,
        note: 'Seen in the statutes and the minutes of the general assembly.',
      });
  await call(baseUrl, 'POST', `${base}/verify`, admin, { note: 'Known partner of the regional network.' });
  return { email, organisationId: id, contact: organisation.contact.email };
}

/**
 * A coordinator, an SSE entity and a partner of their own, named after `label` so that several
 * casts live side by side in one system without sharing anything.
 */
export async function seedCast(system: RunningSystem, label: string): Promise<Cast> {
  const url = system.webUrl;
  const admin = await signInApi(url, system.admin.email, system.admin.password);
  const coordinator = `coordinator-${label}@network.example`;
  await call(url, 'POST', '/api/profiles/coordinators', admin, {
    name: `Coordinator ${label}`,
    email: coordinator,
    password: PASSWORD,
    regions: ['Western Africa'],
  });
  const [entity, partner] = await Promise.all([
    registerVerified(
      url,
      admin,
      {
        name: `Cooperativa Bolama ${label}`,
        kind: 'sse-entity',
        sseForm: 'cooperative',
        country: 'GW',
        languages: ['pt', 'fr'],
        sectors: ['23231'],
        description: 'Solar kiosks run by their members.',
        contact: { email: `contact-${label}@bolama.example` },
      },
      `entity-${label}@bolama.example`,
    ),
    registerVerified(
      url,
      admin,
      {
        name: `Ingufu Tech ${label}`,
        kind: 'technology-provider',
        country: 'RW',
        languages: ['fr', 'en'],
        sectors: ['23231'],
        description: 'Solar micro-grids.',
        contact: { email: `hello-${label}@ingufu.example` },
      },
      `partner-${label}@ingufu.example`,
    ),
  ]);
  return { coordinator, entity, partner };
}

/**
 * Publishes a posting; while the exchange has not yet heard that the organisation was verified
 * (profiles' event arrives a moment after the verification), the 403 is retried for a while.
 */
async function publish(url: string, path: string, token: string, body: unknown): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      await call(url, 'POST', path, token, body);
      return;
    } catch (err) {
      if (!/: 403 /.test(String(err)) || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/**
 * Content for the pages that list proposals, posted through the APIs: the cast's entity needs
 * technology, its partner offers it twice; once matching has proposed both pairings, the
 * coordinator approves the first, so the review queue and the parties' proposals each show one.
 */
export async function seedProposals(system: RunningSystem, cast: Cast): Promise<void> {
  const url = system.webUrl;
  const [entity, partner, coordinator] = await Promise.all([
    signInApi(url, cast.entity.email, PASSWORD),
    signInApi(url, cast.partner.email, PASSWORD),
    signInApi(url, cast.coordinator, PASSWORD),
  ]);
  const expiresAt = new Date(Date.now() + 60 * 864e5).toISOString().slice(0, 10);
  const common = {
    description: 'Solar charging kiosks run by the members.',
    language: 'en',
    workingLanguages: ['en', 'fr'],
    sectors: ['23231'],
    sdgs: [7],
    expiresAt,
  };
  await publish(url, '/api/exchange/needs', entity, {
    ...common,
    type: 'technology',
    title: 'Solar kiosks for the islands',
  });
  for (const title of ['Micro-grid design', 'Training for solar technicians'])
    await publish(url, '/api/exchange/offers', partner, {
      ...common,
      types: ['technology'],
      instrument: 'technical-assistance',
      title,
      modalities: ['south-south'],
      capacity: 2,
    });
  const deadline = Date.now() + 20_000;
  let ids: string[] = [];
  while (ids.length < 2) {
    if (Date.now() > deadline) throw new Error(`matching proposed ${ids.length} of 2 pairings in 20 s`);
    await new Promise((r) => setTimeout(r, 250));
    const queue = await call<{ items: { id: string; needOrganisationId: string }[] }>(
      url,
      'GET',
      '/api/matching/proposals',
      coordinator,
    );
    ids = queue.items.filter((p) => p.needOrganisationId === cast.entity.organisationId).map((p) => p.id);
  }
  await call(url, 'POST', `/api/matching/proposals/${ids[0]}/review`, coordinator, { decision: 'approved' });
}

export interface Notice {
  id: string;
  kind: string;
  title: string;
  link: string;
  createdAt: string;
  read: boolean;
}

/** A person's notifications through the web server's proxy: every item (newest first) and the unread count. */
export async function inbox(
  baseUrl: string,
  token: string,
): Promise<{ items: Notice[]; unreadCount: number }> {
  return call(baseUrl, 'GET', '/api/notifications/notifications?limit=100', token);
}

/**
 * Notifications for the entity's member, made by the real system: the admin revokes the
 * organisation's verification and verifies it again, `cycles` times; the notifications service
 * tells its members of each (verification revoked, organisation verified). The service tells only
 * the people it has heard of, and the member's registration (the person topic) may reach it after
 * the first decisions (the organisation topic): the first cycle is repeated until it told the
 * member. Returns once the member's list holds every notification of the cycles.
 */
export async function seedNotifications(system: RunningSystem, cast: Cast, cycles: number): Promise<void> {
  const url = system.webUrl;
  const [admin, member] = await Promise.all([
    signInApi(url, system.admin.email, system.admin.password),
    signInApi(url, cast.entity.email, PASSWORD),
  ]);
  const base = `/api/profiles/organisations/${cast.entity.organisationId}/verification`;
  const cycle = async () => {
    await call(url, 'POST', `${base}/revoke`, admin, { note: 'Checked again after the general assembly.' });
    await call(url, 'POST', `${base}/verify`, admin, { note: 'The new statutes are in order.' });
  };
  const count = async () => (await inbox(url, member)).items.length;
  const waitFor = async (n: number, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if ((await count()) >= n) return true;
      await new Promise((r) => setTimeout(r, 200));
    }
    return false;
  };
  let heard = false;
  for (let i = 0; i < 5 && !heard; i++) {
    await cycle();
    heard = await waitFor(1, 5_000);
  }
  if (!heard) throw new Error(`the notifications service told ${cast.entity.email} of nothing`);
  const start = await count();
  for (let i = 1; i < cycles; i++) await cycle();
  if (!(await waitFor(start + 2 * (cycles - 1), 20_000)))
    throw new Error(
      `${cast.entity.email} has ${await count()} notifications, not ${start + 2 * (cycles - 1)}`,
    );
}
