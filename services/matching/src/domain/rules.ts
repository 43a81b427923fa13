import type {
  Eligibility,
  Modality,
  NeedSnapshot,
  OfferSnapshot,
  OrganisationSnapshot,
  Phrase,
  Sentence,
} from '@mutirao/contracts';
import { convert } from '@mutirao/reference-data';
import { featuresOf } from './features';
import { areasOf, countryInArea, isDeveloping } from './reference';
import { code, codes, english, phrase, phrases, say } from './sentences';
import type { Pair, RuleId, RuleVerdict } from './types';
import { day } from './words';

/**
 * The hard rules R1–R8 of issue 5. Each rule is a fast test (the engine runs it on every candidate)
 * and an explanation (written only for what reaches a coordinator), kept side by side so they cannot
 * drift apart. `r1OfferType(pair)` … `r8Modality(pair)` give the structured verdict.
 */
export interface HardRule {
  readonly id: RuleId;
  test(p: Pair): boolean;
  explain(p: Pair, ok: boolean): Sentence;
}

export function judge(rule: HardRule, p: Pair): RuleVerdict {
  const ok = rule.test(p);
  return verdict(rule.id, ok, rule.explain(p, ok));
}

export function verdict(rule: RuleId, ok: boolean, sentence: Sentence): RuleVerdict {
  return { rule, ok, sentence, reason: english(sentence) };
}

export const R1: HardRule = {
  id: 'R1',
  test: ({ need, offer }) => offer.types.includes(need.type),
  explain: ({ need, offer }, ok) =>
    ok
      ? say('R1.ok', { type: code('needType', need.type) })
      : say('R1.fail', { type: code('needType', need.type), offered: codes('needType', offer.types) }),
};

export const R2: HardRule = {
  id: 'R2',
  test: ({ need, offer, needOrg, offerOrg }) =>
    need.organisationId !== offer.organisationId &&
    needOrg.verification === 'verified' &&
    offerOrg.verification === 'verified',
  explain: ({ need, offer, needOrg, offerOrg }, ok) => {
    if (ok) return say('R2.ok', { needOrg: needOrg.name, offerOrg: offerOrg.name });
    if (need.organisationId === offer.organisationId) return say('R2.own', { org: needOrg.name });
    return say('R2.unverified', {
      orgs: phrases(
        [needOrg, offerOrg]
          .filter((o) => o.verification !== 'verified')
          .map((o) =>
            phrase('part.unverified', { org: o.name, status: code('verification', o.verification) }),
          ),
      ),
    });
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
      return say('R3.ok', {
        needUntil: { date: day(need.expiresAt) },
        offerUntil: { date: day(offer.expiresAt) },
        n: offer.capacity,
      });
    const problems: Phrase[] = [];
    for (const [what, posting] of [
      ['need', need],
      ['offer', offer],
    ] as const) {
      if (posting.status !== 'open')
        problems.push(phrase(`part.${what}Status`, { status: code('postingStatus', posting.status) }));
      else if (featuresOf(posting).expiresAtMs <= now.getTime())
        problems.push(phrase(`part.${what}Expired`, { date: { date: day(posting.expiresAt) } }));
    }
    if (offer.capacity <= 0) problems.push(phrase('part.noCapacity'));
    return say('R3.fail', { problems: phrases(problems) });
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
    const checks: [boolean, boolean, Phrase][] = [
      [
        !!e.countries?.length,
        countriesAdmit(e, a),
        phrase('part.countries', { countries: codes('country', e.countries ?? [], 'or') }),
      ],
      [
        !!e.regions?.length,
        regionsAdmit(e, a),
        phrase('part.regions', { regions: codes('region', e.regions ?? [], 'or') }),
      ],
      [!!e.developingOnly, developingAdmits(e, a), phrase('part.developing')],
      [
        !!e.sseForms?.length,
        formsAdmit(e, a),
        phrase('part.sseForms', { forms: codes('sseForm', e.sseForms ?? [], 'or') }),
      ],
      [
        !!e.organisationKinds?.length,
        kindsAdmit(e, a),
        phrase('part.kinds', { kinds: codes('organisationKind', e.organisationKinds ?? [], 'or') }),
      ],
    ];
    const set = checks.filter(([isSet]) => isSet);
    if (set.length === 0) return say('R4.none');
    const who = {
      org: a.name,
      kind:
        a.kind === 'sse-entity' && a.sseForm ? code('sseForm', a.sseForm) : code('organisationKind', a.kind),
      country: code('country', a.country),
      areas: codes('region', areasOf(a.country), 'none'),
    };
    const failed = set.filter(([, admits]) => !admits).map(([, , words]) => words);
    if (failed.length === 0) return say('R4.ok', { ...who, conditions: phrases(set.map(([, , w]) => w)) });
    return say('R4.fail', { ...who, conditions: phrases(failed) });
  },
};

const sharedLanguages = ({ need, offer }: Pair) =>
  need.workingLanguages.filter((l) => offer.workingLanguages.includes(l));

export const R5: HardRule = {
  id: 'R5',
  test: ({ need, offer }) => need.workingLanguages.some((l) => offer.workingLanguages.includes(l)),
  explain: (p, ok) =>
    ok
      ? say('R5.ok', { languages: codes('language', sharedLanguages(p), 'or') })
      : say('R5.fail', {
          needLanguages: codes('language', p.need.workingLanguages),
          offerLanguages: codes('language', p.offer.workingLanguages),
        }),
};

export const R6: HardRule = {
  id: 'R6',
  test: ({ need, offer }) => {
    if (offer.sectors.length === 0) return true;
    const offered = featuresOf(offer).categories;
    return featuresOf(need).categories.some((c) => offered.includes(c));
  },
  explain: ({ need, offer }, ok) => {
    if (offer.sectors.length === 0) return say('R6.any');
    const offered = featuresOf(offer).categories;
    const shared = featuresOf(need).categories.filter((c) => offered.includes(c));
    if (ok) return say('R6.ok', { categories: codes('sectorCategory', shared) });
    if (need.sectors.length === 0) return say('R6.needNone', { sectors: codes('sector', offer.sectors) });
    return say('R6.fail', {
      needSectors: codes('sector', need.sectors),
      needCategories: codes('sectorCategory', featuresOf(need).categories),
      offerSectors: codes('sector', offer.sectors),
      offerCategories: codes('sectorCategory', offered),
    });
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
    if (!amount) return say('R7.noNeedAmount');
    if (!range) return say('R7.noRange');
    const v = amountInOfferCurrency(p.need, p.offer);
    const asked = { money: amount.value, currency: amount.currency };
    if (v === undefined)
      return say('R7.noRate', {
        from: code('currency', amount.currency),
        to: code('currency', range.currency),
        amount: asked,
      });
    const span = {
      amount: asked,
      min: { money: range.min, currency: range.currency },
      max: { money: range.max, currency: range.currency },
    };
    if (amount.currency === range.currency) return say(ok ? 'R7.ok' : 'R7.fail', span);
    return say(ok ? 'R7.okConverted' : 'R7.failConverted', {
      ...span,
      converted: { money: v, currency: range.currency },
    });
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
    if (modality === undefined) return say('R8.notDeveloping', { org: needOrg.name });
    const between = {
      needCountry: code('country', needOrg.country),
      offerCountry: code('country', offerOrg.country),
      modality: code('modality', modality),
    };
    if (ok) return say(offer.modalities.length === 0 ? 'R8.okAny' : 'R8.ok', between);
    return say('R8.fail', { ...between, modalities: codes('modality', offer.modalities, 'or') });
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
