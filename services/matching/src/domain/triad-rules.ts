import type { NeedSnapshot, OfferSnapshot, OrganisationSnapshot } from '@mutirao/contracts';
import { featuresOf } from './features';
import { isDeveloping } from './reference';
import { type HardRule, judge, R1, R2, R3, R4, R5, R6, R7, R8, verdict } from './rules';
import { code, codes, phrase, phrases, say } from './sentences';
import type { Pair, Role, RuleId, RuleVerdict } from './types';

/**
 * The rules that decide which part an offer may play (single answer, triad provider, triad funder),
 * the rule that binds a triad's two partners, and "never again a rejected pair".
 */

/**
 * The need's own side of R2, R3 and R8 (and of the triad provider rule): when it fails, no offer can
 * answer the need, so there is nothing to look for.
 */
export function needCanBeAnswered(need: NeedSnapshot, needOrg: OrganisationSnapshot, now: Date): boolean {
  return (
    need.status === 'open' &&
    featuresOf(need).expiresAtMs > now.getTime() &&
    needOrg.verification === 'verified' &&
    isDeveloping(needOrg.country)
  );
}

/** A need the entity cannot pay for itself is answered by a provider and a funder together. */
export function wantsTriad(need: NeedSnapshot): boolean {
  return need.fundingRequired && need.type !== 'financing';
}

export const FUNDS_ALONE: HardRule = {
  id: 'funds-alone',
  test: ({ need, offer }) => offer.types.includes(need.type) && offer.types.includes('financing'),
  explain: ({ need }, ok) =>
    say(ok ? 'funds-alone.ok' : 'funds-alone.fail', { type: code('needType', need.type) }),
};

export const TRIAD_PROVIDER: HardRule = {
  id: 'triad-provider',
  test: ({ needOrg, offerOrg, offer }) =>
    isDeveloping(needOrg.country) &&
    isDeveloping(offerOrg.country) &&
    (offer.modalities.length === 0 ||
      offer.modalities.includes('south-south') ||
      offer.modalities.includes('triangular')),
  explain: ({ needOrg, offerOrg, offer }, ok) => {
    if (ok)
      return say('triad-provider.ok', {
        offerOrg: offerOrg.name,
        offerCountry: code('country', offerOrg.country),
        needOrg: needOrg.name,
        needCountry: code('country', needOrg.country),
      });
    const north = [needOrg, offerOrg].filter((o) => !isDeveloping(o.country));
    if (north.length > 0)
      return say('triad-provider.north', {
        orgs: phrases(
          north.map((o) => phrase('part.orgIn', { org: o.name, country: code('country', o.country) })),
        ),
        n: north.length,
      });
    return say('triad-provider.modalities', { modalities: codes('modality', offer.modalities) });
  },
};

/** An offer that can be the funder of a triad, whatever the need (the index keeps these apart). */
export function fundsTriads(offer: OfferSnapshot): boolean {
  return offer.types.includes('financing') && offer.modalities.includes('triangular');
}

export const TRIAD_FUNDER: HardRule = {
  id: 'triad-funder',
  test: ({ offer }) => fundsTriads(offer),
  explain: ({ offer }, ok) => {
    if (ok) return say('triad-funder.ok');
    if (!offer.types.includes('financing')) return say('triad-funder.noFinancing');
    return say('triad-funder.notTriangular');
  },
};

export const SINGLE_RULES: readonly HardRule[] = [R1, R2, R3, R4, R5, R6, R7, R8];
const SINGLE_FOR_FUNDED_NEED: readonly HardRule[] = [...SINGLE_RULES, FUNDS_ALONE];
export const PROVIDER_RULES: readonly HardRule[] = [R1, R2, R3, R4, R5, R6, R7, TRIAD_PROVIDER];
export const FUNDER_RULES: readonly HardRule[] = [R2, R3, R4, R5, R6, R7, TRIAD_FUNDER];

export function singleRules(need: NeedSnapshot): readonly HardRule[] {
  return wantsTriad(need) ? SINGLE_FOR_FUNDED_NEED : SINGLE_RULES;
}

export function rulesFor(role: Role, need: NeedSnapshot): readonly HardRule[] {
  if (role === 'provider') return PROVIDER_RULES;
  if (role === 'funder') return FUNDER_RULES;
  return singleRules(need);
}

// Checked in this order on the hot path: the cheapest tests that reject most candidates first.
const COST: Partial<Record<RuleId, number>> = { R3: 0, R1: 1, 'triad-funder': 1, R5: 2, R6: 3, R2: 4, R4: 5 };
const fastOrders = new Map<readonly HardRule[], readonly HardRule[]>();

export function passes(rules: readonly HardRule[], p: Pair): boolean {
  let ordered = fastOrders.get(rules);
  if (!ordered) {
    ordered = [...rules].sort((a, b) => (COST[a.id] ?? 9) - (COST[b.id] ?? 9));
    fastOrders.set(rules, ordered);
  }
  for (const rule of ordered) if (!rule.test(p)) return false;
  return true;
}

export function verdicts(rules: readonly HardRule[], p: Pair): RuleVerdict[] {
  return rules.map((rule) => judge(rule, p));
}

/** The two partners of a triad are different organisations (each differs from the need's by R2). */
export function triadPartners(
  providerOrg: OrganisationSnapshot,
  funderOrg: OrganisationSnapshot,
): RuleVerdict {
  const ok = providerOrg.id !== funderOrg.id;
  return verdict(
    'triad-partners',
    ok,
    ok
      ? say('triad-partners.ok', { provider: providerOrg.name, funder: funderOrg.name })
      : say('triad-partners.same', { org: providerOrg.name }),
  );
}

/**
 * The key under which a coordinator's rejection is remembered: the need and its offers in proposal
 * order. A rejected single pairing also rules that offer out of every triad for the need, since the
 * coordinator judged the pair itself; a rejected triad rules out only that combination.
 */
export function proposalKey(needId: string, offerIds: readonly string[]): string {
  return `${needId}|${offerIds.join('+')}`;
}

export function isRejected(
  needId: string,
  offerIds: readonly string[],
  rejected: ReadonlySet<string>,
): boolean {
  if (rejected.size === 0) return false;
  if (rejected.has(proposalKey(needId, offerIds))) return true;
  return offerIds.length > 1 && offerIds.some((id) => rejected.has(proposalKey(needId, [id])));
}

export function notRejected(
  needId: string,
  offerIds: readonly string[],
  rejected: ReadonlySet<string>,
): RuleVerdict {
  const ok = !isRejected(needId, offerIds, rejected);
  return verdict('not-rejected', ok, say(ok ? 'not-rejected.ok' : 'not-rejected.fail'));
}
