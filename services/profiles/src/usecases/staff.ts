import { uuidv7 } from '@mutirao/contracts';
import { conflict } from '@mutirao/kernel';
import type { Lang } from '@mutirao/reference-data';
import { hashPassword, randomPassword } from '../identity/passwords';
import type { Ctx } from './context';
import { createPerson } from './people';

export interface CoordinatorInput {
  name: string;
  email: string;
  password?: string | undefined;
  /** M49 regions, sub-regions or intermediate regions, checked against the reference data. */
  regions: string[];
  /** The language to write to the coordinator in (English when absent). */
  language?: Lang | undefined;
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
    ...(body.language ? { language: body.language } : {}),
    roles: ['coordinator' as const],
    regions: [...new Set(body.regions)],
    createdAt: at,
  };
  if (!(await createPerson({ accounts: ctx.stores.accounts, topic: ctx.topics.person }, account)))
    throw conflict('An account with this email already exists.');
  ctx.onWrite();
  return {
    id: account.id,
    name: account.name,
    email,
    roles: account.roles,
    regions: account.regions,
    ...(body.password === undefined ? { password } : {}),
  };
}
