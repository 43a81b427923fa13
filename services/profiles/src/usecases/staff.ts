import { uuidv7 } from '@mutirao/contracts';
import { conflict } from '@mutirao/kernel';
import { hashPassword, randomPassword } from '../identity/passwords';
import type { Ctx } from './context';

export interface CoordinatorInput {
  name: string;
  email: string;
  password?: string | undefined;
  /** M49 regions, sub-regions or intermediate regions, checked against the reference data. */
  regions: string[];
}

/**
 * The admin creates a coordinator with the M49 regions, sub-regions or intermediate regions it
 * acts in. Without a password, a random one is returned once, in this answer only.
 */
export async function createCoordinator(ctx: Ctx, body: CoordinatorInput) {
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
