import { countryInRegion } from '@mutirao/reference-data';
import type { Actor, Posting } from './types';

export const isAdmin = (a: Actor): boolean => a.roles.includes('admin');

/** A member edits only its organisation's postings; the platform admin edits any (the importer). */
export const canEdit = (a: Actor, p: Pick<Posting, 'organisationId'>): boolean =>
  isAdmin(a) || (a.org !== undefined && a.org === p.organisationId);

/** Owners and the admin see every posting of theirs; everyone else only open ones. */
export const canSee = (a: Actor, p: Pick<Posting, 'organisationId' | 'status'>): boolean =>
  p.status === 'open' || canEdit(a, p);

/**
 * Confidential parts: the owner, the admin, and coordinators of a region the organisation's
 * country lies in (a coordinator acts only within its regions).
 */
export function canSeeConfidential(
  a: Actor,
  p: Pick<Posting, 'organisationId'>,
  organisationCountry: string | undefined,
): boolean {
  if (canEdit(a, p)) return true;
  if (!a.roles.includes('coordinator') || !organisationCountry) return false;
  return a.regions.some((r) => countryInRegion(organisationCountry, r));
}
