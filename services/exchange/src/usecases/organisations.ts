import type { OrganisationSnapshot } from '@mutirao/contracts';
import type { OrganisationRepo } from '../store/organisations';
import type { PostingRepo } from '../store/postings';

/** Applies an organisation snapshot by revision and keeps the postings' country in step. */
export async function applyOrganisation(
  deps: { orgs: OrganisationRepo; postings: PostingRepo[] },
  o: OrganisationSnapshot,
): Promise<boolean> {
  const applied = await deps.orgs.apply(o);
  // Also after a stale event: a crash may have come between the two writes.
  const current = applied ? o : await deps.orgs.get(o.id);
  if (current) for (const r of deps.postings) await r.setOrganisationCountry(o.id, current.country);
  return applied;
}
