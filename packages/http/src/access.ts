import { forbidden } from '@mutirao/kernel';
import { hasRole, type Principal } from './auth';

/**
 * Object-level access rules (OWASP API1) shared by every service. Region membership comes in as a
 * callback so this package does not depend on the reference data: pass `countryInRegion` from
 * `@mutirao/reference-data`. The use cases call these, so a refusal is a `DomainError`
 * (`forbidden`) of `@mutirao/kernel`, the words the use cases refuse in.
 */
export type InRegion = (countryCode: string, regionName: string) => boolean;

/** A member of that organisation, or the platform admin (who may act everywhere). */
export function actsForOrg(p: Principal, orgId: string): boolean {
  return hasRole(p, 'admin') || (hasRole(p, 'member') && p.org === orgId);
}

export function assertSameOrg(p: Principal, orgId: string): void {
  if (!actsForOrg(p, orgId)) throw forbidden('You may act only for your own organisation.');
}

/** A coordinator one of whose regions holds the country, or the admin. */
export function coordinates(p: Principal, countryCode: string, inRegion: InRegion): boolean {
  if (hasRole(p, 'admin')) return true;
  return hasRole(p, 'coordinator') && p.regions.some((r) => inRegion(countryCode, r));
}

export function assertCoordinatorFor(p: Principal, countryCode: string, inRegion: InRegion): void {
  if (coordinates(p, countryCode, inRegion)) return;
  throw forbidden(
    hasRole(p, 'coordinator')
      ? `Country ${countryCode} is outside your regions (${p.regions.join(', ') || 'none'}).`
      : 'This needs a coordinator of the region or the admin.',
  );
}

/**
 * Contact details: the organisation itself, coordinators and the admin; and, disclosed in stages,
 * members of an organisation that has agreed a partnership with it (`agreedPartner`: the caller's
 * organisation and `orgId` are parties to an agreed proposal, which the caller looks up).
 */
export function maySeeContact(p: Principal, orgId: string, opts: { agreedPartner?: boolean } = {}): boolean {
  return (
    actsForOrg(p, orgId) || hasRole(p, 'coordinator') || (opts.agreedPartner === true && hasRole(p, 'member'))
  );
}
