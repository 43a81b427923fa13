import { uuidv7 } from '@mutirao/contracts';
import { Conflict } from '@mutirao/http';
import { m49Region } from '@mutirao/reference-data';
import { z } from 'zod';
import { hashPassword, randomPassword } from '../identity/passwords';
import { type Ctx, rejectProblems } from './context';

export const CoordinatorInput = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(254),
  password: z.string().min(10, 'at least 10 characters').max(256).optional(),
  regions: z.array(z.string().min(1).max(100)).min(1).max(50),
});

/**
 * The admin creates a coordinator with the M49 regions, sub-regions or intermediate regions it
 * acts in. Without a password, a random one is returned once, in this answer only.
 */
export async function createCoordinator(ctx: Ctx, body: z.infer<typeof CoordinatorInput>) {
  rejectProblems(
    body.regions.flatMap((r, i) =>
      m49Region(r) ? [] : [{ path: `regions.${i}`, message: `unknown M49 region "${r}"` }],
    ),
  );
  const email = body.email.toLowerCase();
  const password = body.password ?? randomPassword();
  const account = {
    id: uuidv7(ctx.now().getTime()),
    email,
    name: body.name,
    passwordHash: await hashPassword(password),
    roles: ['coordinator' as const],
    regions: [...new Set(body.regions)],
    createdAt: ctx.now(),
  };
  if (!(await ctx.stores.accounts.create(account)))
    throw new Conflict('An account with this email already exists.');
  return {
    id: account.id,
    name: account.name,
    email,
    roles: account.roles,
    regions: account.regions,
    ...(body.password === undefined ? { password } : {}),
  };
}
