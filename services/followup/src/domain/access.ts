import { countryInRegion } from '@mutirao/reference-data';
import { isParty } from './partnership';
import type { Actor, Partnership } from './types';

export const isAdmin = (a: Actor): boolean => a.roles.includes('admin');

/** A coordinator one of whose regions holds the beneficiary's country. */
export const coordinatesIt = (a: Actor, p: Pick<Partnership, 'country'>): boolean =>
  a.roles.includes('coordinator') && a.regions.some((r) => countryInRegion(p.country, r));

/** The parties' members, the region's coordinators and the admin see a partnership and its reports. */
export const canSee = (a: Actor, p: Pick<Partnership, 'parties' | 'country'>): boolean =>
  isAdmin(a) || (a.roles.includes('member') && isParty(p, a.org)) || coordinatesIt(a, p);

/** The parties' members (and the admin) change it and file their own organisation's reports. */
export const canAct = (a: Actor, p: Pick<Partnership, 'parties'>): boolean =>
  isAdmin(a) || (a.roles.includes('member') && isParty(p, a.org));

/** The region's coordinators (and the admin) comment. */
export const canComment = (a: Actor, p: Pick<Partnership, 'country'>): boolean =>
  isAdmin(a) || coordinatesIt(a, p);
