import { conflict, notFound } from '@mutirao/kernel';
import type { Lang } from '@mutirao/reference-data';
import { type Person, type PersonChange, removePerson, toPersonSnapshot } from './person';

/**
 * What an account holds instead of a password hash until its owner chooses one (a coordinator
 * invited by mail): no password ever matches it, so the account cannot sign in yet.
 */
export const NO_PASSWORD = '!';

export const isCoordinator = (p: Person | undefined): p is Person =>
  p !== undefined && p.removedAt === undefined && p.roles.includes('coordinator');

/** A coordinator who has not accepted the invitation yet (no password of their own). */
export const isInvited = (p: Person): boolean => p.passwordHash === NO_PASSWORD;

function coordinatorOrRefuse(p: Person | undefined, id: string): Person {
  if (!isCoordinator(p)) throw notFound(`No coordinator ${id}.`);
  return p;
}

/** The regions as kept: each once, in the order given. */
export const regionsOf = (regions: readonly string[]): string[] => [...new Set(regions)];

/**
 * The admin changes the regions a coordinator acts in: a new revision (its `updated` event carries
 * them) when they differ, else unchanged. Tokens already issued keep the old regions until they
 * expire.
 */
export function changeRegions(
  p: Person | undefined,
  id: string,
  regions: readonly string[],
  at: Date,
): { prev: Person; change: PersonChange | 'unchanged' } {
  const c = coordinatorOrRefuse(p, id);
  const next = regionsOf(regions);
  if (next.length === c.regions.length && next.every((r, i) => r === c.regions[i]))
    return { prev: c, change: 'unchanged' };
  const changed: Person = { ...c, regions: next, revision: c.revision + 1, updatedAt: at };
  return { prev: c, change: { next: changed, event: 'updated', snapshot: toPersonSnapshot(changed) } };
}

/**
 * The admin takes the coordinator role away. A coordinator has no other role and belongs to no
 * organisation, so the account is removed as a member's is: it can no longer sign in and its
 * address is free again.
 */
export function removeCoordinator(
  p: Person | undefined,
  id: string,
  at: Date,
): { prev: Person; change: PersonChange } {
  const c = coordinatorOrRefuse(p, id);
  return { prev: c, change: removePerson(c, at) };
}

/**
 * An invited coordinator accepts: the name and password they chose (and their language) in one
 * revision. Once accepted, the invitation cannot be used again (the caller claims it first).
 */
export function activateCoordinator(
  p: Person | undefined,
  chosen: { name: string; passwordHash: string; language?: Lang | undefined },
  at: Date,
): PersonChange {
  if (!isCoordinator(p)) throw conflict('This coordinator has been removed since the invitation was sent.');
  const next: Person = {
    ...p,
    name: chosen.name,
    passwordHash: chosen.passwordHash,
    ...(chosen.language ? { language: chosen.language } : {}),
    revision: p.revision + 1,
    updatedAt: at,
  };
  return { next, event: 'updated', snapshot: toPersonSnapshot(next) };
}
