import type { OrganisationSnapshot, VerificationStatus } from '@mutirao/contracts';
import type { Content } from '../domain/types';
import type { OrganisationRepo } from '../store/organisations';
import type { PostingRepo } from '../store/postings';
import type { PostingService } from './postings';

export interface OrganisationDeps {
  orgs: OrganisationRepo;
  postings: PostingRepo[];
  /** The services of both kinds: a revocation closes the organisation's open postings through them. */
  services?: PostingService<Content>[];
}

/** Applies an organisation snapshot by revision and keeps the postings' country in step. */
export async function applyOrganisation(deps: OrganisationDeps, o: OrganisationSnapshot): Promise<boolean> {
  const [applied] = await applyOrganisations(deps, [o]);
  return applied === true;
}

/**
 * `applyOrganisation` for a batch of snapshots, in one write to the read model; then the open
 * postings of every organisation whose verification stands revoked are closed (with their
 * `closed` events). Nothing reopens them when the organisation is verified again: their owner
 * renews them.
 */
export async function applyOrganisations(
  deps: OrganisationDeps,
  list: readonly OrganisationSnapshot[],
): Promise<boolean[]> {
  const applied = await deps.orgs.applyMany(list);
  // Also after a stale event: a crash may have come between the two writes. The country and the
  // verification are then the ones the read model holds.
  const staleIds = list.filter((_, i) => !applied[i]).map((o) => o.id);
  const held = await deps.orgs.getMany(staleIds);
  const country = new Map<string, string>();
  const verification = new Map<string, VerificationStatus>();
  list.forEach((o, i) => {
    const current = applied[i] ? o : held.get(o.id);
    if (!current) return;
    country.set(o.id, current.country);
    verification.set(o.id, current.verification);
  });
  for (const r of deps.postings) await r.setOrganisationCountries(country);
  for (const [id, status] of verification) if (status === 'revoked') await closeForRevocation(deps, id);
  return applied;
}

/** Closes the organisation's open postings of both kinds (each refuses once it is verified again). */
async function closeForRevocation(deps: OrganisationDeps, organisationId: string): Promise<void> {
  for (const service of deps.services ?? []) {
    const ids = await service.idsOf(organisationId, 'open');
    for (const id of ids) await service.execute(id, { type: 'close-for-revocation' });
  }
}
