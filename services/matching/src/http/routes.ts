import {
  Modality,
  NeedType,
  type ProposalSnapshot,
  ProposalStatus,
  RejectionReason,
} from '@mutirao/contracts';
import {
  Forbidden,
  hasRole,
  NotFound,
  type Principal,
  parse,
  principalOf,
  requireAuth,
  requireRole,
  type TokenVerifier,
  ValidationError,
} from '@mutirao/http';
import { m49Region } from '@mutirao/reference-data';
import { type Request, Router } from 'express';
import { z } from 'zod';
import { partiesOf, respond, review, visibleToParties } from '../domain/proposal';
import type { Matcher } from '../matcher';
import type { ProposalStore } from '../store/proposals';

export interface RouteDeps {
  verify: TokenVerifier;
  matcher: Matcher;
  proposals: ProposalStore;
  now: () => Date;
  /** Events of the posting topics not processed yet (for `mutirao wait` and the importer's pace). */
  eventsWaiting: () => Promise<number>;
}

const Cursor = z.object({ s: z.number(), c: z.string(), i: z.string() });
const encodeCursor = (p: { score: number; createdAt: string; id: string }) =>
  Buffer.from(JSON.stringify({ s: p.score, c: p.createdAt, i: p.id })).toString('base64url');
function decodeCursor(raw: string) {
  try {
    const c = Cursor.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    return { score: c.s, createdAt: c.c, id: c.i };
  } catch {
    throw new ValidationError('Invalid query: cursor: not a cursor this service gave out', [
      { path: 'cursor', message: 'not a cursor this service gave out' },
    ]);
  }
}

const QueueQuery = z.strictObject({
  status: z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()))
    .pipe(z.array(ProposalStatus).min(1))
    .optional(),
  region: z.string().optional(),
  modality: Modality.optional(),
  type: NeedType.optional(),
  sort: z.enum(['score', 'age']).default('score'),
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

const ReviewBody = z
  .strictObject({
    decision: z.enum(['approved', 'rejected', 'info-requested']),
    reason: RejectionReason.optional(),
    note: z.string().trim().max(2000).optional(),
  })
  .refine((b) => b.decision !== 'rejected' || b.reason, {
    message: 'a rejection needs a reason code',
    path: ['reason'],
  });

const countriesOf = (regions: readonly string[]): string[] => [
  ...new Set(regions.flatMap((r) => m49Region(r)?.countries ?? [])),
];

const coversCountry = (p: Principal, country: string): boolean =>
  hasRole(p, 'admin') || (hasRole(p, 'coordinator') && countriesOf(p.regions).includes(country));

/** A party sees its proposal once approved; coordinators of the need's region and admins always. */
function canSee(p: Principal, proposal: ProposalSnapshot): boolean {
  if (coversCountry(p, proposal.needCountry)) return true;
  return Boolean(p.org && partiesOf(proposal).includes(p.org) && visibleToParties(proposal.status));
}

export function proposalRoutes(deps: RouteDeps): Router {
  const r = Router();
  const auth = requireAuth(deps.verify);

  /**
   * How far matching is behind: events not yet taken in, needs waiting to be ranked; caught up
   * when both are none and nothing is being ranked (looked at before and after the lag, which a
   * flush may start in between).
   */
  r.get('/progress', async (_req, res) => {
    const idleBefore = deps.matcher.idle();
    const eventsWaiting = await deps.eventsWaiting();
    const caughtUp = idleBefore && eventsWaiting === 0 && deps.matcher.idle();
    res.json({ caughtUp, eventsWaiting, needsWaiting: deps.matcher.needsWaiting() });
  });

  /** The coordinator's review queue. */
  r.get('/proposals', auth, requireRole('coordinator', 'admin'), async (req, res) => {
    const p = principalOf(req);
    const q = parse(QueueQuery, req.query, 'query');
    let countries: string[] | undefined;
    if (q.region) {
      const region = m49Region(q.region);
      if (!region)
        throw new ValidationError(`Invalid query: region: unknown M49 region "${q.region}"`, [
          { path: 'region', message: `unknown M49 region "${q.region}"` },
        ]);
      countries = [...region.countries];
    }
    if (!hasRole(p, 'admin')) {
      const mine = new Set(countriesOf(p.regions));
      countries = (countries ?? [...mine]).filter((c) => mine.has(c));
    }
    const page = await deps.proposals.page({
      statuses: q.status ?? ['proposed', 'info-requested'],
      needCountries: countries,
      modality: q.modality,
      needType: q.type,
      sort: q.sort,
      after: q.cursor ? decodeCursor(q.cursor) : undefined,
      limit: q.limit,
    });
    res.json({ items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null });
  });

  /** A member's proposals: those its organisation is a party to, from approval on. */
  r.get('/proposals/mine', auth, async (req: Request, res) => {
    const p = principalOf(req);
    if (!p.org) throw new Forbidden('Only members of an organisation have proposals of their own.');
    const { items } = await deps.proposals.page({
      party: p.org,
      statuses: ['approved', 'accepted', 'declined', 'agreed'],
      sort: 'age',
      limit: 100,
    });
    res.json({ items });
  });

  r.get('/proposals/:id', auth, async (req, res) => {
    const proposal = await deps.proposals.get(String(req.params.id));
    if (!proposal || !canSee(principalOf(req), proposal)) throw new NotFound('No such proposal.');
    res.json(proposal);
  });

  r.post('/proposals/:id/review', auth, requireRole('coordinator', 'admin'), async (req, res) => {
    const p = principalOf(req);
    const body = parse(ReviewBody, req.body);
    const id = String(req.params.id);
    const current = await deps.proposals.get(id);
    if (!current) throw new NotFound('No such proposal.');
    if (!coversCountry(p, current.needCountry)) {
      throw new Forbidden(`The need is in ${current.needCountry}, outside your regions.`);
    }
    const next = await deps.matcher.transition(id, (cur) => review(cur, { ...body, by: p.sub }, deps.now()));
    if (!next) throw new NotFound('No such proposal.');
    res.json(next);
  });

  for (const answer of ['accept', 'decline'] as const) {
    r.post(`/proposals/:id/${answer}`, auth, async (req, res) => {
      const p = principalOf(req);
      if (!p.org) throw new Forbidden('Only a party to the proposal can answer it.');
      const org = p.org;
      const id = String(req.params.id);
      const current = await deps.proposals.get(id);
      if (!current || !canSee(p, current)) throw new NotFound('No such proposal.');
      const next = await deps.matcher.transition(id, (cur) => respond(cur, org, answer, deps.now()));
      if (!next) throw new NotFound('No such proposal.');
      res.json(next);
    });
  }

  /** Everything, for the exchange-file export (admin only). */
  r.get('/export/proposals', auth, requireRole('admin'), async (_req, res) => {
    res.json({ items: await deps.proposals.all() });
  });

  return r;
}
