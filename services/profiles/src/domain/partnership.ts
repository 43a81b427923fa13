/** Two organisations that agreed to work together, in a fixed order so each pair has one key. */
export interface Partnership {
  a: string;
  b: string;
  /** The agreed proposal that first made them partners. */
  proposalId: string;
  since: Date;
}

export const orderedPair = (x: string, y: string): [string, string] => (x < y ? [x, y] : [y, x]);

/**
 * Every pair of distinct parties to an agreed proposal: the need's organisation and each offer's
 * (a triad has three parties, so three pairs). Each pair comes once, ordered.
 */
export function partnerPairs(p: {
  needOrganisationId: string;
  offerOrganisationIds: readonly string[];
}): [string, string][] {
  const parties = [...new Set([p.needOrganisationId, ...p.offerOrganisationIds])];
  return parties.flatMap((x, i) => parties.slice(i + 1).map((y) => orderedPair(x, y)));
}
