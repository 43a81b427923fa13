import { DomainError } from '@mutirao/kernel';
import { describe, expect, it } from 'vitest';
import { actsForOrg, assertCoordinatorFor, assertSameOrg, coordinates, maySeeContact } from './access';
import type { Principal } from './auth';

/** The refusal `f` throws: a `forbidden` DomainError is what the problem middleware answers 403 for. */
const refusalOf = (f: () => void) => {
  try {
    f();
  } catch (err) {
    return err instanceof DomainError ? err.kind : err;
  }
  return 'allowed';
};

const member = (org: string): Principal => ({ sub: 'm', org, roles: ['member'], regions: [] });
const coordinator = (...regions: string[]): Principal => ({ sub: 'c', roles: ['coordinator'], regions });
const admin: Principal = { sub: 'a', roles: ['admin'], regions: [] };
// A stand-in for countryInRegion: Western Africa holds SN and GW.
const inRegion = (country: string, region: string) =>
  region === 'Western Africa' && ['SN', 'GW'].includes(country);

describe('object ownership', () => {
  it('lets a member act only for its own organisation, and the admin for any', () => {
    expect(actsForOrg(member('o1'), 'o1')).toBe(true);
    expect(refusalOf(() => assertSameOrg(member('o2'), 'o1'))).toBe('forbidden');
    expect(refusalOf(() => assertSameOrg(coordinator('Western Africa'), 'o1'))).toBe('forbidden');
    expect(refusalOf(() => assertSameOrg(admin, 'o1'))).toBe('allowed');
  });

  it('lets a coordinator act only within its regions', () => {
    expect(coordinates(coordinator('Western Africa'), 'SN', inRegion)).toBe(true);
    expect(coordinates(coordinator('Western Africa'), 'PE', inRegion)).toBe(false);
    expect(coordinates(member('o1'), 'SN', inRegion)).toBe(false);
    expect(coordinates(admin, 'PE', inRegion)).toBe(true);
    expect(() => assertCoordinatorFor(coordinator('Western Africa'), 'PE', inRegion)).toThrow(
      /PE is outside your regions \(Western Africa\)/,
    );
    expect(refusalOf(() => assertCoordinatorFor(coordinator('Western Africa'), 'PE', inRegion))).toBe(
      'forbidden',
    );
  });

  it('shows contact details to the organisation, coordinators and the admin only', () => {
    expect(maySeeContact(member('o1'), 'o1')).toBe(true);
    expect(maySeeContact(member('o2'), 'o1')).toBe(false);
    expect(maySeeContact(coordinator(), 'o1')).toBe(true);
    expect(maySeeContact(admin, 'o1')).toBe(true);
  });

  it('shows them also to members of an agreed partner, once the partnership is agreed', () => {
    expect(maySeeContact(member('o2'), 'o1', { agreedPartner: false })).toBe(false);
    expect(maySeeContact(member('o2'), 'o1', { agreedPartner: true })).toBe(true);
  });
});
