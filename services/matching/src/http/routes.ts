import { Modality, NeedType, ProposalStatus, RejectionReason } from '@mutirao/contracts';
import { parse, principalOf, requireAuth, requireRole, type TokenVerifier } from '@mutirao/http';
import { KnownRegion } from '@mutirao/reference-data';
import { Router } from 'express';
import { z } from 'zod';
import type { Consent } from '../usecases/consent';
import type { Progress } from '../usecases/progress';
import type { ProposalQueries } from '../usecases/proposals';
import type { Review } from '../usecases/review';

export interface RouteDeps {
  verify: TokenVerifier;
  review: Review;
  consent: Consent;
  queries: ProposalQueries;
  /** How far matching is behind. */
  progress: () => Promise<Progress>;
}

const QueueQuery = z.strictObject({
  status: z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()))
    .pipe(z.array(ProposalStatus).min(1))
    .optional(),
  region: KnownRegion.optional(),
  modality: Modality.optional(),
  type: NeedType.optional(),
  sort: z.enum(['score', 'age']).default('score'),
  cursor: z.string().max(500).optional(),
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

/** Thin: each route parses, calls a use case and answers. */
export function proposalRoutes(deps: RouteDeps): Router {
  const r = Router();
  const auth = requireAuth(deps.verify);

  r.get('/progress', async (_req, res) => {
    res.json(await deps.progress());
  });

  /** The coordinator's review queue. */
  r.get('/proposals', auth, requireRole('coordinator', 'admin'), async (req, res) => {
    const q = parse(QueueQuery, req.query, 'query');
    res.json(await deps.review.queue(principalOf(req), q));
  });

  /** A member's proposals: those its organisation is a party to, from approval on. */
  r.get('/proposals/mine', auth, async (req, res) => {
    res.json(await deps.consent.mine(principalOf(req)));
  });

  r.get('/proposals/:id', auth, async (req, res) => {
    res.json(await deps.queries.one(principalOf(req), String(req.params.id)));
  });

  r.post('/proposals/:id/review', auth, requireRole('coordinator', 'admin'), async (req, res) => {
    const body = parse(ReviewBody, req.body);
    res.json(await deps.review.decide(principalOf(req), String(req.params.id), body));
  });

  for (const answer of ['accept', 'decline'] as const) {
    r.post(`/proposals/:id/${answer}`, auth, async (req, res) => {
      res.json(await deps.consent.answer(principalOf(req), String(req.params.id), answer));
    });
  }

  /** Everything, for the exchange-file export (admin only). */
  r.get('/export/proposals', auth, requireRole('admin'), async (_req, res) => {
    res.json(await deps.queries.export());
  });

  return r;
}
