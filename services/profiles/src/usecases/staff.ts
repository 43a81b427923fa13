import { uuidv7 } from '@mutirao/contracts';
import { conflict } from '@mutirao/kernel';
import { KnownRegion } from '@mutirao/reference-data';
import { z } from 'zod';
import { hashPassword, randomPassword } from '../identity/passwords';
import type { Ctx } from './context';

export const CoordinatorInput = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(254),
  password: z.string().min(10, 'at least 10 characters').max(256).optional(),
  regions: z.array(KnownRegion).min(1).max(50),
});

/**
 * The admin creates a coordinator with the M49 regions, sub-regions or intermediate regions it
 * acts in. Without a password, a random one is returned once, in this answer only.
 */
export async function createCoordinator(ctx: Ctx, body: z.infer<typeof CoordinatorInput>) {
  const email = body.email.toLowerCase();
  const password = body.password ?? randomPassword();
  const at = ctx.now();
  const account = {
    id: uuidv7(at.getTime()),
    email,
    name: body.name,
    passwordHash: await hashPassword(password),
    roles: ['coordinator' as const],
    regions: [...new Set(body.regions)],
    createdAt: at,
  };
  if (!(await ctx.stores.accounts.create(account)))
    throw conflict('An account with this email already exists.');
  return {
    id: account.id,
    name: account.name,
    email,
    roles: account.roles,
    regions: account.regions,
    ...(body.password === undefined ? { password } : {}),
  };
}
