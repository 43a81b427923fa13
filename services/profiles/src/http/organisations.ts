import { parse, principalOf, requireAuth, requireRole, type TokenVerifier } from '@mutirao/http';
import { Router } from 'express';
import { z } from 'zod';
import {
  ImportedOrganisation,
  MemberInput,
  OrganisationPatch,
  RegistrationInput,
} from '../domain/organisation-input';
import type { Ctx } from '../usecases/context';
import { acceptInvitation, createInvitation, listMembers } from '../usecases/members';
import {
  getOrganisation,
  IMPORT_MAX,
  importOrganisation,
  importOrganisations,
  listOrganisations,
  registerOrganisation,
  updateOrganisation,
} from '../usecases/organisations';
import { body, idParam, Page, Ref } from './params';

const ImportBatch = z.strictObject({
  items: z
    .array(ImportedOrganisation.extend({ ref: Ref }))
    .min(1, 'at least one item')
    .max(IMPORT_MAX, `at most ${IMPORT_MAX} items per request`)
    .superRefine((items, c) => {
      const first = new Map<string, number>();
      items.forEach((item, i) => {
        const seen = first.get(item.ref);
        if (seen === undefined) first.set(item.ref, i);
        else
          c.addIssue({ code: 'custom', path: [i, 'ref'], message: `ref ${item.ref} repeats item ${seen}` });
      });
    }),
});

export function organisationRoutes(ctx: Ctx, verify: TokenVerifier): Router {
  const r = Router();
  const auth = requireAuth(verify);

  // Anyone may register an organisation: its first member signs up with it.
  r.post('/organisations/register', async (req, res) => {
    res.status(201).json(await registerOrganisation(ctx, body(RegistrationInput, req)));
  });

  /** The importer's batch: every item checked before any is written. */
  r.post('/organisations/import', auth, requireRole('admin'), async (req, res) => {
    const { items } = body(ImportBatch, req);
    res.json({ results: await importOrganisations(ctx, principalOf(req), items) });
  });

  r.put('/organisations/by-ref/:ref', auth, requireRole('admin'), async (req, res) => {
    const { ref } = parse(z.object({ ref: Ref }), req.params, 'path');
    const out = await importOrganisation(ctx, principalOf(req), ref, body(ImportedOrganisation, req));
    res.status(out.result === 'created' ? 201 : 200).json(out);
  });

  // The exchange-file export reads every page of it.
  r.get('/organisations', auth, requireRole('coordinator', 'admin'), async (req, res) => {
    res.json(await listOrganisations(ctx, principalOf(req), parse(Page, req.query, 'query')));
  });

  r.get('/organisations/:id', auth, async (req, res) => {
    res.json(await getOrganisation(ctx, principalOf(req), idParam(req)));
  });

  r.patch('/organisations/:id', auth, async (req, res) => {
    const id = idParam(req);
    res.json(await updateOrganisation(ctx, principalOf(req), id, body(OrganisationPatch, req)));
  });

  r.get('/organisations/:id/members', auth, async (req, res) => {
    res.json(await listMembers(ctx, principalOf(req), idParam(req)));
  });

  r.post('/organisations/:id/invitations', auth, async (req, res) => {
    body(z.strictObject({}), req);
    res.status(201).json(await createInvitation(ctx, principalOf(req), idParam(req)));
  });

  // The token is the credential: whoever holds it may join.
  r.post('/invitations/:token/accept', async (req, res) => {
    const { token } = parse(z.object({ token: z.string().min(20).max(100) }), req.params, 'path');
    res.status(201).json(await acceptInvitation(ctx, token, body(MemberInput, req)));
  });

  return r;
}
