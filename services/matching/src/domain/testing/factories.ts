import type { NeedSnapshot, OfferSnapshot, OrganisationSnapshot } from '@mutirao/contracts';
import { aNeedSnapshot, anOfferSnapshot, anOrganisationSnapshot, NOW } from '@mutirao/testing';
import type { Pair } from '../types';

/**
 * The shared snapshot factories of @mutirao/testing under the names matching's tests use, and a
 * pair wired together for the rules.
 */

export {
  aNeedSnapshot as aNeed,
  anOfferSnapshot as anOffer,
  anOrganisationSnapshot as anOrg,
  NOW,
} from '@mutirao/testing';

/** A need and an offer with their organisations, wired together by id. */
export function aPair(
  overrides: {
    need?: Partial<NeedSnapshot>;
    needOrg?: Partial<OrganisationSnapshot>;
    offer?: Partial<OfferSnapshot>;
    offerOrg?: Partial<OrganisationSnapshot>;
    now?: Date;
  } = {},
): Pair {
  const needOrg = anOrganisationSnapshot({ id: 'org-need', ...overrides.needOrg });
  const offerOrg = anOrganisationSnapshot({
    id: 'org-offer',
    country: 'RW',
    languages: ['en', 'fr'],
    ...overrides.offerOrg,
  });
  return {
    need: aNeedSnapshot({ organisationId: needOrg.id, ...overrides.need }),
    needOrg,
    offer: anOfferSnapshot({ organisationId: offerOrg.id, ...overrides.offer }),
    offerOrg,
    now: overrides.now ?? NOW,
  };
}
