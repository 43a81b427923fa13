import { principalOf, requireAuth, requireRole, type TokenVerifier } from '@mutirao/http';
import { Router } from 'express';
import { z } from 'zod';
import type { Ctx } from '../usecases/context';
import { signIn } from '../usecases/sessions';
import { CoordinatorInput, createCoordinator } from '../usecases/staff';
import { body } from './params';

export const SignIn = z.strictObject({
  email: z.string().min(1).max(254),
  password: z.string().min(1).max(256),
});

export function identityRoutes(ctx: Ctx, verify: TokenVerifier): Router {
  const r = Router();

  r.get('/.well-known/jwks.json', (_req, res) => {
    res.set('cache-control', 'public, max-age=300').json(ctx.issuer.jwks());
  });

  r.post('/sessions', async (req, res) => {
    res.set('cache-control', 'no-store').json(await signIn(ctx, body(SignIn, req)));
  });

  r.get('/me', requireAuth(verify), (req, res) => {
    res.json(principalOf(req));
  });

  r.post('/coordinators', requireAuth(verify), requireRole('admin'), async (req, res) => {
    res
      .set('cache-control', 'no-store')
      .status(201)
      .json(await createCoordinator(ctx, body(CoordinatorInput, req)));
  });

  return r;
}
