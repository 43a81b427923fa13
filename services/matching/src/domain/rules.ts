import type {
  Eligibility,
  Modality,
  NeedSnapshot,
  OfferSnapshot,
  OrganisationSnapshot,
} from '@mutirao/contracts';
import { convert } from '@mutirao/reference-data';
import { featuresOf } from './features';
import {
  categoryName,
  countryInArea,
  countryName,
  describeAreas,
  isDeveloping,
  languageName,
  sectorName,
} from './reference';
import type { Pair, RuleId, RuleVerdict } from './types';
import { day, list, money, needTypeWords } from './words';

/**
 * The hard rules R1–R8 of issue 5. Each rule is a fast test (the engine runs it on every candidate)
 * and an explanation (written only for what reaches a coordinator), kept side by side so they cannot
 * drift apart. `r1OfferType(pair)` … `r8Modality(pair)` give the structured verdict.
 */
export interface HardRule {
  readonly id: RuleId;
  test(p: Pair): boolean;
  explain(p: Pair, ok: boolean): string;
}

export function judge(rule: HardRule, p: Pair): RuleVerdict {
  const ok = rule.test(p);
  return { rule: rule.id, ok, reason: rule.explain(p, ok) };
}

export const R1: HardRule = {
  id: 'R1',
  test: ({ need, offer }) => offer.types.includes(need.type),
  explain: ({ need, offer }, ok) =>
    ok
      ? `The offer provides ${needTypeWords(need.type)}, which the need asks for.`
      : `The need asks for ${needTypeWords(need.type)}; the offer provides only ${list(offer.types.map(needTypeWords))}.`,
};

export const R2: HardRule = {
  id: 'R2',
  test: ({ need, offer, needOrg, offerOrg }) =>
    need.organisationId !== offer.organisationId &&
    needOrg.verification === 'verified' &&
    offerOrg.verification === 'verified',
  explain: ({ need, offer, needOrg, offerOrg }, ok) => {
    if (ok) return `${needOrg.name} and ${offerOrg.name} are two different, verified organisations.`;
    if (need.organisationId === offer.organisationId)
      return `${needOrg.name} cannot be matched with its own offer.`;
    return list(
      [needOrg, offerOrg]
        .filter((o) => o.verification !== 'verified')
        .map((o) => `${o.name} is not verified (its verification is ${o.verification})`),
    ).concat('.');
  },
};

function openUntil(status: string, expiresAtMs: number, now: Date): boolean {
  return status === 'open' && expiresAtMs > now.getTime();
}

export const R3: HardRule = {
  id: 'R3',
  test: ({ need, offer, now }) =>
    offer.capacity > 0 &&
    openUntil(need.status, featuresOf(need).expiresAtMs, now) &&
    openUntil(offer.status, featuresOf(offer).expiresAtMs, now),
  explain: ({ need, offer, now }, ok) => {
    if (ok)
      return `Both are open (the need until ${day(need.expiresAt)}, the offer until ${day(offer.expiresAt)}) and the offer can take ${offer.capacity} more partnership${offer.capacity === 1 ? '' : 's'}.`;
    const problems: string[] = [];
    for (const [what, posting] of [
      ['need', need],
      ['offer', offer],
    ] as const) {
      if (posting.status !== 'open') problems.push(`the ${what} is ${posting.status}`);
      else if (featuresOf(posting).expiresAtMs <= now.getTime())
        problems.push(`the ${what} expired on ${day(posting.expiresAt)}`);
    }
    if (offer.capacity <= 0) problems.push('the offer has no capacity left');
    return `Not available: ${list(problems)}.`;
  },
};

/** An empty list in an eligibility field restricts nothing, like an absent one. */
const countriesAdmit = (e: Eligibility, a: OrganisationSnapshot) =>
  !e.countries?.length || e.countries.includes(a.country);
const regionsAdmit = (e: Eligibility, a: OrganisationSnapshot) =>
  !e.regions?.length || e.regions.some((r) => countryInArea(a.country, r));
const developingAdmits = (e: Eligibility, a: OrganisationSnapshot) =>
  !e.developingOnly || isDeveloping(a.country);
const formsAdmit = (e: Eligibility, a: OrganisationSnapshot) =>
  !e.sseForms?.length ||
  (a.kind === 'sse-entity' && a.sseForm !== undefined && e.sseForms.includes(a.sseForm));
const kindsAdmit = (e: Eligibility, a: OrganisationSnapshot) =>
  !e.organisationKinds?.length || e.organisationKinds.includes(a.kind);

export const R4: HardRule = {
  id: 'R4',
  test: ({ offer, needOrg }) => {
    const e = offer.eligibility;
    return (
      countriesAdmit(e, needOrg) &&
      regionsAdmit(e, needOrg) &&
      developingAdmits(e, needOrg) &&
      formsAdmit(e, needOrg) &&
      kindsAdmit(e, needOrg)
    );
  },
  explain: ({ offer, needOrg: a }) => {
    const e = offer.eligibility;
    const where = `${countryName(a.country)} (${describeAreas(a.country)})`;
    const form =
      a.kind === 'sse-entity' ? `an SSE ${a.sseForm ?? 'entity'}` : `a ${a.kind.replace(/-/g, ' ')}`;
    const checks: [boolean, boolean, string][] = [
      [!!e.countries?.length, countriesAdmit(e, a), `organisations in ${list(e.countries ?? [], 'or')}`],
      [!!e.regions?.length, regionsAdmit(e, a), `organisations in ${list(e.regions ?? [], 'or')}`],
      [!!e.developingOnly, developingAdmits(e, a), 'organisations in developing countries'],
      [!!e.sseForms?.length, formsAdmit(e, a), `SSE entities that are a ${list(e.sseForms ?? [], 'or')}`],
      [
        !!e.organisationKinds?.length,
        kindsAdmit(e, a),
        `organisations of kind ${list(e.organisationKinds ?? [], 'or')}`,
      ],
    ];
    const set = checks.filter(([isSet]) => isSet);
    if (set.length === 0) return 'The offer sets no eligibility conditions.';
    const failed = set.filter(([, admits]) => !admits).map(([, , words]) => words);
    if (failed.length === 0)
      return `${a.name} is ${form} in ${where} and meets every condition of the offer: ${list(set.map(([, , w]) => w))}.`;
    return `The offer is open only to ${list(failed)}; ${a.name} is ${form} in ${where}.`;
  },
};

const sharedLanguages = ({ need, offer }: Pair) =>
  need.workingLanguages.filter((l) => offer.workingLanguages.includes(l));

export const R5: HardRule = {
  id: 'R5',
  test: ({ need, offer }) => need.workingLanguages.some((l) => offer.workingLanguages.includes(l)),
  explain: (p, ok) => {
    const names = (codes: readonly string[]) => list(codes.map(languageName));
    return ok
      ? `They can work together in ${list(sharedLanguages(p).map(languageName), 'or')}.`
      : `No common working language: the need works in ${names(p.need.workingLanguages)}, the offer in ${names(p.offer.workingLanguages)}.`;
  },
};

export const R6: HardRule = {
  id: 'R6',
  test: ({ need, offer }) => {
    if (offer.sectors.length === 0) return true;
    const offered = featuresOf(offer).categories;
    return featuresOf(need).categories.some((c) => offered.includes(c));
  },
  explain: ({ need, offer }, ok) => {
    if (offer.sectors.length === 0) return 'The offer is open to every sector.';
    const describe = (codes: readonly string[]) => list(codes.map((c) => `${c} (${sectorName(c)})`));
    const offered = featuresOf(offer).categories;
    const shared = featuresOf(need).categories.filter((c) => offered.includes(c));
    if (ok)
      return `Both work in the DAC sector category ${list(shared.map((c) => `${c} (${categoryName(c)})`))}.`;
    if (need.sectors.length === 0)
      return `The offer is limited to sectors ${describe(offer.sectors)}; the need names none.`;
    return `Different sectors: the need is in ${describe(need.sectors)} (category ${list(featuresOf(need).categories)}), the offer in ${describe(offer.sectors)} (category ${list(offered)}).`;
  },
};

/** N's amount in O's currency; undefined when there is no rate between the two. */
export function amountInOfferCurrency(need: NeedSnapshot, offer: OfferSnapshot): number | undefined {
  const { amount } = need;
  const range = offer.amount;
  if (!amount || !range) return undefined;
  return amount.currency === range.currency
    ? amount.value
    : convert(amount.value, amount.currency, range.currency);
}

export const R7: HardRule = {
  id: 'R7',
  test: (p) => {
    const range = p.offer.amount;
    if (!p.need.amount || !range) return true;
    const v = amountInOfferCurrency(p.need, p.offer);
    return v !== undefined && v >= range.min && v <= range.max;
  },
  explain: (p, ok) => {
    const { amount } = p.need;
    const range = p.offer.amount;
    if (!amount) return 'The need states no amount, so there is nothing to compare.';
    if (!range) return 'The offer states no amount range, so there is nothing to compare.';
    const v = amountInOfferCurrency(p.need, p.offer);
    if (v === undefined)
      return `No exchange rate from ${amount.currency} to ${range.currency}, so the amount of ${money(amount.value, amount.currency)} cannot be checked against the offer's range.`;
    const asked =
      amount.currency === range.currency
        ? money(amount.value, amount.currency)
        : `${money(amount.value, amount.currency)} (about ${money(v, range.currency)})`;
    const span = `${money(range.min, range.currency)} – ${money(range.max, range.currency)}`;
    return ok
      ? `${asked} is within the offer's range of ${span}.`
      : `${asked} is outside the offer's range of ${span}.`;
  },
};

/** South-South when both are in developing countries, North-South when only the need's side is. */
export function pairModality(
  needOrg: OrganisationSnapshot,
  offerOrg: OrganisationSnapshot,
): Modality | undefined {
  if (!isDeveloping(needOrg.country)) return undefined;
  return isDeveloping(offerOrg.country) ? 'south-south' : 'north-south';
}

export const R8: HardRule = {
  id: 'R8',
  test: ({ needOrg, offerOrg, offer }) => {
    const modality = pairModality(needOrg, offerOrg);
    // A need from a developed country is neither South-South nor North-South cooperation, which is
    // all a single pairing can be: Mutirão exists for Southern entities.
    return modality !== undefined && (offer.modalities.length === 0 || offer.modalities.includes(modality));
  },
  explain: ({ needOrg, offerOrg, offer }, ok) => {
    const modality = pairModality(needOrg, offerOrg);
    const between = `${countryName(needOrg.country)} and ${countryName(offerOrg.country)}`;
    if (modality === undefined)
      return `${needOrg.name} is not in a developing country, so a partnership would be neither South-South nor North-South cooperation.`;
    if (ok)
      return offer.modalities.length === 0
        ? `A partnership between ${between} is ${modality} cooperation; the offer does not limit its modalities.`
        : `A partnership between ${between} is ${modality} cooperation, which the offer takes part in.`;
    return `The offer takes part only in ${list(offer.modalities)} cooperation; a direct partnership between ${between} would be ${modality}.`;
  },
};

export const r1OfferType = (p: Pair): RuleVerdict => judge(R1, p);
export const r2Organisations = (p: Pair): RuleVerdict => judge(R2, p);
export const r3Availability = (p: Pair): RuleVerdict => judge(R3, p);
export const r4Eligibility = (p: Pair): RuleVerdict => judge(R4, p);
export const r5Language = (p: Pair): RuleVerdict => judge(R5, p);
export const r6Sector = (p: Pair): RuleVerdict => judge(R6, p);
export const r7Amount = (p: Pair): RuleVerdict => judge(R7, p);
export const r8Modality = (p: Pair): RuleVerdict => judge(R8, p);
