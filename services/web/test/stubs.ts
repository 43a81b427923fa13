/**
 * In-memory stand-ins for the profiles, exchange and matching services, speaking their HTTP
 * contracts (paths, shapes, problem+json errors) closely enough to drive the web app in a browser
 * while the real services are being built. The story steps in `story.ts` do not know about them:
 * point the same steps at the real system and they run unchanged.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type Request, type Response } from 'express';

interface Account {
  id: string;
  email: string;
  password: string;
  org?: string;
  roles: string[];
  regions: string[];
}

interface Org {
  id: string;
  name: string;
  kind: string;
  sseForm?: string;
  country: string;
  languages: string[];
  sectors: string[];
  description: string;
  verification: string;
  contact: { email: string; phone?: string };
  createdAt: string;
  updatedAt: string;
  revision: number;
}

type Posting = Record<string, unknown> & {
  id: string;
  organisationId: string;
  status: string;
  title: string;
};

export const PASSWORD = 'a-long-enough-password';
const at = '2025-01-10T09:00:00.000Z';

export function seed() {
  const orgs: Org[] = [
    {
      id: 'org-coop',
      name: 'Coopérative Ingufu',
      kind: 'sse-entity',
      sseForm: 'cooperative',
      country: 'RW',
      languages: ['fr', 'en'],
      sectors: ['23231'],
      description: 'Solar kiosks run by their members.',
      verification: 'verified',
      contact: { email: 'contact@ingufu.example', phone: '+250 788 000 000' },
      createdAt: at,
      updatedAt: at,
      revision: 2,
    },
    {
      id: 'org-partner',
      name: 'Jua Kali Tech',
      kind: 'technology-provider',
      country: 'KE',
      languages: ['en', 'fr'],
      sectors: ['23231'],
      description: 'Solar micro-grids.',
      verification: 'verified',
      contact: { email: 'hello@juakali.example' },
      createdAt: at,
      updatedAt: at,
      revision: 2,
    },
    {
      id: 'org-pending',
      name: 'Associação Mãos Unidas',
      kind: 'sse-entity',
      sseForm: 'association',
      country: 'MZ',
      languages: ['pt'],
      sectors: ['31120'],
      description: 'Women farmers selling cassava flour together.',
      verification: 'pending',
      contact: { email: 'maos@unidas.example' },
      createdAt: at,
      updatedAt: at,
      revision: 1,
    },
  ];
  const accounts: Account[] = [
    {
      id: 'u-entity',
      email: 'entity@example.org',
      password: PASSWORD,
      org: 'org-coop',
      roles: ['member'],
      regions: [],
    },
    {
      id: 'u-partner',
      email: 'partner@example.org',
      password: PASSWORD,
      org: 'org-partner',
      roles: ['member'],
      regions: [],
    },
    {
      id: 'u-coord',
      email: 'coordinator@example.org',
      password: PASSWORD,
      roles: ['coordinator'],
      regions: ['Africa'],
    },
  ];
  return { orgs, accounts, needs: [] as Posting[], offers: [] as Posting[], proposals: [] as Proposal[] };
}

type State = ReturnType<typeof seed>;

interface Proposal {
  id: string;
  revision: number;
  updatedAt: string;
  needId: string;
  offerIds: string[];
  needOrganisationId: string;
  offerOrganisationIds: string[];
  needType: string;
  needCountry: string;
  modality: string;
  score: number;
  rank: number;
  status: string;
  explanation: unknown;
  review?: unknown;
  consents: Record<string, string>;
}

const problem = (
  res: Response,
  status: number,
  detail: string,
  errors?: { path: string; message: string }[],
) =>
  res
    .status(status)
    .type('application/problem+json')
    .send(
      JSON.stringify({ type: 'about:blank', title: detail, status, detail, ...(errors ? { errors } : {}) }),
    );

function who(state: State, req: Request): Account | undefined {
  const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  return state.accounts.find((a) => `token-${a.id}` === token);
}

function guarded(state: State, handler: (req: Request, res: Response, me: Account) => void) {
  return (req: Request, res: Response) => {
    const me = who(state, req);
    if (!me) return problem(res, 401, 'Sign in to do this.');
    handler(req, res, me);
  };
}

function profiles(state: State): Express {
  const app = express();
  app.use(express.json());
  app.post('/sessions', (req, res) => {
    const a = state.accounts.find((x) => x.email === req.body.email && x.password === req.body.password);
    if (!a) return problem(res, 401, 'Email or password is wrong.');
    res.json({
      token: `token-${a.id}`,
      tokenType: 'Bearer',
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
      expiresIn: 3600,
    });
  });
  app.get(
    '/me',
    guarded(state, (_req, res, me) =>
      res.json({ sub: me.id, org: me.org, roles: me.roles, regions: me.regions }),
    ),
  );
  app.get(
    '/organisations/:id',
    guarded(state, (req, res, me) => {
      const o = state.orgs.find((x) => x.id === req.params.id);
      if (!o) return problem(res, 404, 'Not found.');
      // Staged disclosure: the organisation itself, coordinators, and partners of an agreed proposal.
      const agreed = state.proposals.some(
        (p) =>
          p.status === 'agreed' &&
          [p.needOrganisationId, ...p.offerOrganisationIds].includes(o.id) &&
          [p.needOrganisationId, ...p.offerOrganisationIds].includes(me.org ?? ''),
      );
      const { contact, ...rest } = o;
      res.json(me.org === o.id || me.roles.includes('coordinator') || agreed ? o : rest);
    }),
  );
  app.get(
    '/organisations/:id/verification',
    guarded(state, (req, res) => {
      const o = state.orgs.find((x) => x.id === req.params.id);
      if (!o) return problem(res, 404, 'Not found.');
      res.json({ organisationId: o.id, status: o.verification, criteria: [], unmet: [] });
    }),
  );
  app.get(
    '/verification/queue',
    guarded(state, (_req, res) =>
      res.json({ items: state.orgs.filter((o) => o.verification === 'pending'), nextCursor: null }),
    ),
  );
  app.put(
    '/organisations/:id/verification/criteria/:criterion',
    guarded(state, (req, res) => {
      if (!req.body.note)
        return problem(res, 400, 'Invalid request', [{ path: 'note', message: 'must not be empty' }]);
      res.json({
        organisationId: req.params.id,
        status: 'pending',
        criteria: [{ criterion: req.params.criterion, ...req.body }],
      });
    }),
  );
  for (const action of ['verify', 'decline'])
    app.post(
      `/organisations/:id/verification/${action}`,
      guarded(state, (req, res) => {
        const o = state.orgs.find((x) => x.id === req.params.id);
        if (!o) return problem(res, 404, 'Not found.');
        if (action === 'decline' && !req.body.note)
          return problem(res, 400, 'Invalid request', [{ path: 'note', message: 'must not be empty' }]);
        o.verification = action === 'verify' ? 'verified' : 'declined';
        res.json({ organisationId: o.id, status: o.verification, criteria: [] });
      }),
    );
  return app;
}

function exchange(state: State): Express {
  const app = express();
  app.use(express.json());
  for (const kind of ['needs', 'offers'] as const) {
    const list = () => state[kind];
    app.get(
      `/${kind}`,
      guarded(state, (req, res, me) => {
        const q = req.query as Record<string, string>;
        const items = list().filter(
          (p) =>
            (p.status === 'open' || p.organisationId === me.org) &&
            (!q.organisationId || p.organisationId === q.organisationId) &&
            (!q.status || p.status === q.status),
        );
        res.json({ items });
      }),
    );
    app.get(
      `/${kind}/:id`,
      guarded(state, (req, res) => {
        const p = list().find((x) => x.id === req.params.id);
        if (!p) return problem(res, 404, 'Not found.');
        res.json(p);
      }),
    );
    app.post(
      `/${kind}`,
      guarded(state, (req, res, me) => {
        const b = req.body as Record<string, unknown>;
        const errors: { path: string; message: string }[] = [];
        if (!String(b.title ?? '').trim()) errors.push({ path: 'title', message: 'must not be empty' });
        if (!Array.isArray(b.workingLanguages) || b.workingLanguages.length === 0)
          errors.push({ path: 'workingLanguages', message: 'at least one working language' });
        if (errors.length) return problem(res, 400, `Invalid request body: ${errors[0]?.path}`, errors);
        const p: Posting = {
          ...b,
          id: `${kind}-${list().length + 1}`,
          organisationId: me.org ?? '',
          title: String(b.title),
          status: String(b.status ?? 'open'),
          revision: 1,
          expiresAt: `${b.expiresAt}T23:59:59.999Z`,
          updatedAt: new Date().toISOString(),
        };
        list().push(p);
        propose(state);
        res.status(201).json(p);
      }),
    );
    for (const action of ['withdraw', 'publish', 'renew'])
      app.post(
        `/${kind}/:id/${action}`,
        guarded(state, (req, res) => {
          const p = list().find((x) => x.id === req.params.id);
          if (!p) return problem(res, 404, 'Not found.');
          if (action === 'withdraw') p.status = 'withdrawn';
          if (action === 'publish') p.status = 'open';
          if (action === 'renew') p.expiresAt = `${req.body.expiresAt}T23:59:59.999Z`;
          res.json(p);
        }),
      );
  }
  return app;
}

/** A stand-in for the matching engine: every open need meets every open offer of its type. */
function propose(state: State) {
  for (const n of state.needs.filter((x) => x.status === 'open'))
    for (const o of state.offers.filter(
      (x) => x.status === 'open' && (x.types as string[]).includes(String(n.type)),
    )) {
      if (state.proposals.some((p) => p.needId === n.id && p.offerIds[0] === o.id)) continue;
      const needOrg = state.orgs.find((x) => x.id === n.organisationId);
      const offerOrg = state.orgs.find((x) => x.id === o.organisationId);
      state.proposals.push({
        id: `prop-${state.proposals.length + 1}`,
        revision: 1,
        updatedAt: new Date().toISOString(),
        needId: n.id,
        offerIds: [o.id],
        needOrganisationId: n.organisationId,
        offerOrganisationIds: [o.organisationId],
        needType: String(n.type),
        needCountry: needOrg?.country ?? 'RW',
        modality: 'south-south',
        score: 0.78,
        rank: 1,
        status: 'proposed',
        consents: {},
        explanation: {
          summary: `South-South proposal, score 0.78: ${offerOrg?.name} offers “${o.title}” to ${needOrg?.name}. Strong on sector and geography.`,
          rules: [
            {
              rule: 'R1',
              ok: true,
              text: 'The offer provides technology, which the need asks for.',
              offerId: o.id,
              role: 'offer',
            },
            {
              rule: 'R2',
              ok: true,
              text: 'Two different, verified organisations.',
              offerId: o.id,
              role: 'offer',
            },
            { rule: 'R5', ok: true, text: 'Both work in French.', offerId: o.id, role: 'offer' },
            {
              rule: 'not-rejected',
              ok: true,
              text: 'A coordinator has not rejected this pairing before.',
              offerId: o.id,
              role: 'offer',
            },
          ],
          criteria: [
            {
              name: 'sector',
              weight: 0.25,
              value: 1,
              text: 'Need and offer share the same sector 23231.',
              offerId: o.id,
              role: 'offer',
            },
            {
              name: 'geography',
              weight: 0.2,
              value: 0.8,
              text: 'Kenya and Rwanda are both in Eastern Africa.',
              offerId: o.id,
              role: 'offer',
            },
            {
              name: 'text',
              weight: 0.2,
              value: 0.4,
              text: 'Both speak of “solar”.',
              offerId: o.id,
              role: 'offer',
            },
            {
              name: 'sdg',
              weight: 0.15,
              value: 1,
              text: 'Both work towards SDG 7.',
              offerId: o.id,
              role: 'offer',
            },
            {
              name: 'amount',
              weight: 0.1,
              value: 0.5,
              text: 'The need states no amount to compare.',
              offerId: o.id,
              role: 'offer',
            },
            {
              name: 'priority',
              weight: 0.1,
              value: 0.2,
              text: 'The offer gives no priority to particular groups of countries.',
              offerId: o.id,
              role: 'offer',
            },
          ],
        },
      });
    }
}

function matching(state: State): Express {
  const app = express();
  app.use(express.json());
  app.get(
    '/proposals',
    guarded(state, (req, res, me) => {
      if (!me.roles.includes('coordinator')) return problem(res, 403, 'Forbidden');
      const statuses = String(req.query.status ?? 'proposed,info-requested').split(',');
      res.json({ items: state.proposals.filter((p) => statuses.includes(p.status)), nextCursor: null });
    }),
  );
  app.get(
    '/proposals/mine',
    guarded(state, (_req, res, me) =>
      res.json({
        items: state.proposals.filter(
          (p) =>
            ['approved', 'accepted', 'declined', 'agreed'].includes(p.status) &&
            [p.needOrganisationId, ...p.offerOrganisationIds].includes(me.org ?? ''),
        ),
      }),
    ),
  );
  app.post(
    '/proposals/:id/review',
    guarded(state, (req, res, me) => {
      const p = state.proposals.find((x) => x.id === req.params.id);
      if (!p) return problem(res, 404, 'No such proposal.');
      if (req.body.decision === 'rejected' && !req.body.reason)
        return problem(res, 400, 'Invalid request body: reason', [
          { path: 'reason', message: 'a rejection needs a reason code' },
        ]);
      p.status = req.body.decision;
      p.review = { ...req.body, by: me.id, at: new Date().toISOString() };
      p.revision++;
      res.json(p);
    }),
  );
  for (const answer of ['accept', 'decline'] as const)
    app.post(
      `/proposals/:id/${answer}`,
      guarded(state, (req, res, me) => {
        const p = state.proposals.find((x) => x.id === req.params.id);
        if (!p || !me.org) return problem(res, 404, 'No such proposal.');
        p.consents[me.org] = answer === 'accept' ? 'accepted' : 'declined';
        const parties = [p.needOrganisationId, ...p.offerOrganisationIds];
        if (answer === 'decline') p.status = 'declined';
        else p.status = parties.every((o) => p.consents[o] === 'accepted') ? 'agreed' : 'accepted';
        p.revision++;
        res.json(p);
      }),
    );
  return app;
}

async function listen(app: Express): Promise<{ url: string; server: Server }> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }),
    );
  });
}

/** Starts the three stubs on free ports; `stop()` closes them. */
export async function startStubs(state: State = seed()) {
  const started = await Promise.all([profiles(state), exchange(state), matching(state)].map(listen));
  const [p, e, m] = started.map((s) => s.url);
  return {
    state,
    urls: { PROFILES_URL: p ?? '', EXCHANGE_URL: e ?? '', MATCHING_URL: m ?? '' },
    stop: () => Promise.all(started.map((s) => new Promise((r) => s.server.close(r)))),
  };
}
