import type { OrganisationSnapshot } from '@mutirao/contracts';
import type { OrganisationRepo } from '../store/organisations';
import type { PostingRepo } from '../store/postings';

/** Applies an organisation snapshot by revision and keeps the postings' country in step. */
export async function applyOrganisation(
  deps: { orgs: OrganisationRepo; postings: PostingRepo[] },
  o: OrganisationSnapshot,
): Promise<boolean> {
  const [applied] = await applyOrganisations(deps, [o]);
  return applied === true;
}

/** `applyOrganisation` for a batch of snapshots, in one write to the read model. */
export async function applyOrganisations(
  deps: { orgs: OrganisationRepo; postings: PostingRepo[] },
  list: readonly OrganisationSnapshot[],
): Promise<boolean[]> {
  const applied = await deps.orgs.applyMany(list);
  // Also after a stale event: a crash may have come between the two writes. The country is then
  // the one the read model holds.
  const staleIds = list.filter((_, i) => !applied[i]).map((o) => o.id);
  const held = await deps.orgs.getMany(staleIds);
  const country = new Map<string, string>();
  list.forEach((o, i) => {
    const current = applied[i] ? o : held.get(o.id);
    if (current) country.set(o.id, current.country);
  });
  for (const r of deps.postings) await r.setOrganisationCountries(country);
  return applied;
}
