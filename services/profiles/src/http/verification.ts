import { parse, principalOf, requireAuth, requireRole, type TokenVerifier } from '@mutirao/http';
import { Router } from 'express';
import { z } from 'zod';
import { CRITERIA } from '../domain/organisation';
import type { Ctx } from '../usecases/context';
import {
  decline,
  getReview,
  recordCriterion,
  revoke,
  verificationQueue,
  verify,
} from '../usecases/verification';
import { body, idParam, Page } from './params';

const Note = z.string().trim().max(2000);
export const CriterionBody = z.strictObject({ met: z.boolean(), note: Note.min(1) });
export const VerifyBody = z.strictObject({ note: Note.default('') });
export const NoteBody = z.strictObject({ note: Note.min(1) });

const CriterionParam = z.object({
  id: z.string().min(1).max(100),
  criterion: z.enum(CRITERIA, {
    error: (i) => `unknown criterion "${String(i.input)}"; one of ${CRITERIA.join(', ')}`,
  }),
});

export function verificationRoutes(ctx: Ctx, verifyToken: TokenVerifier): Router {
  const r = Router();
  const auth = requireAuth(verifyToken);
  const staff = requireRole('coordinator', 'admin');

  r.get('/verification/queue', auth, staff, async (req, res) => {
    res.json(await verificationQueue(ctx, principalOf(req), parse(Page, req.query, 'query')));
  });

  r.get('/organisations/:id/verification', auth, async (req, res) => {
    res.json(await getReview(ctx, principalOf(req), idParam(req)));
  });

  r.put('/organisations/:id/verification/criteria/:criterion', auth, staff, async (req, res) => {
    const { id, criterion } = parse(CriterionParam, req.params, 'path');
    const b = body(CriterionBody, req);
    res.json(await recordCriterion(ctx, principalOf(req), id, { criterion, ...b }));
  });

  r.post('/organisations/:id/verification/verify', auth, staff, async (req, res) => {
    const { note } = body(VerifyBody, req);
    res.json(await verify(ctx, principalOf(req), idParam(req), note));
  });

  r.post('/organisations/:id/verification/decline', auth, staff, async (req, res) => {
    const { note } = body(NoteBody, req);
    res.json(await decline(ctx, principalOf(req), idParam(req), note));
  });

  r.post('/organisations/:id/verification/revoke', auth, staff, async (req, res) => {
    const { note } = body(NoteBody, req);
    res.json(await revoke(ctx, principalOf(req), idParam(req), note));
  });

  return r;
}
