import { assertSameOrg, type Principal } from '@mutirao/http';
import { DomainError, forbidden, notFound } from '@mutirao/kernel';
import { countries, countryInRegion } from '@mutirao/reference-data';
import { isAdmin } from '../domain/access';
import { type ActivityInput, isOrganisationIdentifier, type ReportingOrg } from '../iati/activity';
import { iatiActivities } from '../iati/xml';
import type { Catalog } from '../store/catalog';
import type { PartnershipRepo } from '../store/partnerships';

export interface IatiDeps {
  repo: PartnershipRepo;
  catalog: Catalog;
  reporting: ReportingOrg;
  now: () => Date;
}

/**
 * The `iati-activities` document of the partnerships agreed between `from` and `to` (whole days,
 * UTC) whose beneficiary lies in `region`; a coordinator's export holds its regions only.
 */
export async function exportIati(
  deps: IatiDeps,
  actor: Principal,
  q: { from?: string; to?: string; region?: string },
): Promise<string> {
  if (q.from && q.to && q.from > q.to)
    throw new DomainError('invalid', 'from must not be after to', { path: 'from' });
  const regions = isAdmin(actor) ? undefined : actor.regions;
  if (regions && q.region && !regions.includes(q.region))
    throw forbidden(`Region ${q.region} is not one of yours (${regions.join(', ') || 'none'}).`);
  const inScope = (code: string) =>
    (q.region === undefined || countryInRegion(code, q.region)) &&
    (regions === undefined || regions.some((r) => countryInRegion(code, r)));
  const list = await deps.repo.list({
    ...(q.region !== undefined || regions !== undefined
      ? {
          countries: countries()
            .map((c) => c.code)
            .filter(inScope),
        }
      : {}),
    ...(q.from ? { agreedFrom: new Date(`${q.from}T00:00:00.000Z`) } : {}),
    ...(q.to ? { agreedTo: new Date(`${q.to}T23:59:59.999Z`) } : {}),
  });
  // The schema wants at least one activity: an empty selection is said as such, not as an invalid file.
  if (list.length === 0) throw notFound('No partnership was agreed in that range and region.');
  const orgIds = list.flatMap((p) => p.parties.map((x) => x.organisationId));
  const [organisations, identifiers, needs] = await Promise.all([
    deps.catalog.organisations(orgIds),
    deps.catalog.identifiersOf(orgIds),
    deps.catalog.needsById(list.map((p) => p.needId)),
  ]);
  const inputs: ActivityInput[] = list
    .sort((a, b) => a.agreedAt.getTime() - b.agreedAt.getTime() || a.id.localeCompare(b.id))
    .map((partnership) => {
      const title = needs.get(partnership.needId)?.title;
      return { partnership, organisations, identifiers, ...(title ? { needTitle: title } : {}) };
    });
  return iatiActivities(inputs, deps.reporting, deps.now());
}

/** An organisation's members (or the admin) give its IATI organisation identifier, or remove it. */
export async function setIdentifier(
  deps: Pick<IatiDeps, 'catalog' | 'now'>,
  actor: Principal,
  orgId: string,
  identifier: string | null,
): Promise<{ organisationId: string; identifier: string | null }> {
  assertSameOrg(actor, orgId);
  if (identifier !== null && !isOrganisationIdentifier(identifier))
    throw new DomainError(
      'invalid',
      'an IATI organisation identifier: the registration agency (country code, dash, register code, as in GB-COH), a dash, and the number it gave',
      { path: 'identifier' },
    );
  await deps.catalog.setIdentifier(orgId, identifier, deps.now());
  return { organisationId: orgId, identifier };
}
