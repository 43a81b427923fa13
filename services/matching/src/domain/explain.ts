import type { Modality, Phrase, Sentence } from '@mutirao/contracts';
import { featuresOf } from './features';
import { categoryOf, countryFacts } from './reference';
import { amountInOfferCurrency } from './rules';
import {
  ANY_SECTOR,
  CRITERIA,
  favours,
  type PartValues,
  partValues,
  positionInRange,
  TRIAD_SHARES,
  WEIGHTS,
} from './score';
import { code, codes, english, phrase, phrases, quoted, say } from './sentences';
import { sharedWordsWith } from './text';
import { notRejected, rulesFor, triadPartners, verdicts } from './triad-rules';
import type { Criterion, CriterionName, ExplainedRule, Explanation, Pair, Role, RuleVerdict } from './types';

/** Words for the proposals that reach a coordinator: every rule checked and every part of the score. */

function sectorSentence({ need, offer }: Pair, value: number): Sentence {
  if (offer.sectors.length === 0) return say('sector.any');
  if (need.sectors.length === 0 || value === ANY_SECTOR) return say('sector.none');
  const exact = need.sectors.filter((s) => offer.sectors.includes(s));
  const sameCategory = need.sectors.filter(
    (s) => !exact.includes(s) && offer.sectors.some((o) => categoryOf(o) === categoryOf(s)),
  );
  const parts: Phrase[] = [];
  if (exact.length) parts.push(phrase('part.sameSector', { sectors: codes('sector', exact) }));
  if (sameCategory.length)
    parts.push(phrase('part.sameCategory', { sectors: codes('sector', sameCategory) }));
  const missing = need.sectors.length - exact.length - sameCategory.length;
  return missing
    ? say('sector.partly', { parts: phrases(parts), n: missing })
    : say('sector.shared', { parts: phrases(parts) });
}

function sdgSentence({ need, offer }: Pair): Sentence {
  if (need.sdgs.length === 0) return say('sdg.none');
  const shared = need.sdgs.filter((g) => offer.sdgs.includes(g));
  if (shared.length === 0) return say('sdg.noneShared');
  // Goals by number: the names would make a long sentence of a short fact.
  return say('sdg.shared', { goals: codes('sdg', shared), n: shared.length, total: need.sdgs.length });
}

/** The need's text as `featuresOf` reads it, put together once per need rather than once per offer. */
let textOf: { need: Pair['need']; text: string } | undefined;

function needText(need: Pair['need']): string {
  if (textOf?.need !== need) textOf = { need, text: `${need.title}\n${need.description}` };
  return textOf.text;
}

function textSentence(p: Pair, value: number): Sentence {
  const words = sharedWordsWith(needText(p.need), p.need.language, featuresOf(p.offer).terms).slice(0, 6);
  if (words.length === 0) return say('text.none');
  return say(p.need.language === p.offer.language ? 'text.shared' : 'text.sharedApart', {
    similarity: { percent: value },
    words: quoted(words),
  });
}

/** The most specific M49 area two countries share, if any. */
function sharedArea(a: string, b: string): string | undefined {
  const x = countryFacts(a);
  const y = countryFacts(b);
  if (!x || !y) return undefined;
  if (x.intermediateRegion && x.intermediateRegion === y.intermediateRegion) return x.intermediateRegion;
  if (x.subRegion && x.subRegion === y.subRegion) return x.subRegion;
  if (x.region && x.region === y.region) return x.region;
  return undefined;
}

function geographySentence({ need, needOrg, offerOrg }: Pair): Sentence {
  const country = code('country', offerOrg.country);
  if (need.countriesOfInterest.includes(offerOrg.country))
    return say('geography.interest', { org: offerOrg.name, country });
  for (const c of need.countriesOfInterest) {
    const area = sharedArea(c, offerOrg.country);
    if (area)
      return say('geography.nearInterest', {
        country,
        area: code('region', area),
        interest: code('country', c),
      });
  }
  const outside = need.countriesOfInterest.length > 0;
  const interests = codes('country', need.countriesOfInterest);
  if (needOrg.country === offerOrg.country)
    return outside
      ? say('geography.outsideSameCountry', { country, interests })
      : say('geography.sameCountry', { country });
  const area = sharedArea(needOrg.country, offerOrg.country);
  const home = code('country', needOrg.country);
  if (area) {
    const params = { country, home, area: code('region', area) };
    return outside
      ? say('geography.outsideSameArea', { ...params, interests })
      : say('geography.sameArea', params);
  }
  return outside
    ? say('geography.outsideApart', { country, home, interests })
    : say('geography.apart', { country, home });
}

function amountSentence(p: Pair): Sentence {
  const { amount } = p.need;
  const range = p.offer.amount;
  if (!amount) return say('amount.noNeedAmount');
  if (!range) return say('amount.noRange');
  const v = amountInOfferCurrency(p.need, p.offer);
  const pos = positionInRange(p.need, p.offer);
  if (v === undefined || pos === undefined)
    return say('amount.noRate', {
      from: code('currency', amount.currency),
      to: code('currency', range.currency),
    });
  return say('amount.position', {
    amount: { money: v, currency: range.currency },
    position: { percent: pos },
    min: { money: range.min, currency: range.currency },
    max: { money: range.max, currency: range.currency },
  });
}

function prioritySentence({ offer, needOrg }: Pair): Sentence {
  if (offer.priorities.length === 0) return say('priority.none');
  const params = {
    groups: codes('priority', offer.priorities, 'or'),
    country: code('country', needOrg.country),
  };
  return favours(offer.priorities, countryFacts(needOrg.country))
    ? say('priority.favoured', params)
    : say('priority.notFavoured', params);
}

function criterionSentence(name: CriterionName, p: Pair, value: number): Sentence {
  switch (name) {
    case 'sector':
      return sectorSentence(p, value);
    case 'sdg':
      return sdgSentence(p);
    case 'text':
      return textSentence(p, value);
    case 'geography':
      return geographySentence(p);
    case 'amount':
      return amountSentence(p);
    case 'priority':
      return prioritySentence(p);
  }
}

const ROLE_PREFIX: Record<Role, string> = { offer: '', provider: 'Provider: ', funder: 'Funder: ' };

function describeCriteria(p: Pair, role: Role, share: number, values: PartValues): Criterion[] {
  return CRITERIA.map((name) => {
    const sentence = criterionSentence(name, p, values[name]);
    return {
      name,
      weight: WEIGHTS[name] * share,
      value: values[name],
      text: ROLE_PREFIX[role] + english(sentence),
      sentence,
      offerId: p.offer.id,
      role,
    };
  });
}

function explained(v: RuleVerdict, offerId: string, role: Role): ExplainedRule {
  return { rule: v.rule, ok: v.ok, text: ROLE_PREFIX[role] + v.reason, sentence: v.sentence, offerId, role };
}

function explainRules(p: Pair, role: Role): ExplainedRule[] {
  return verdicts(rulesFor(role, p.need), p).map((v) => explained(v, p.offer.id, role));
}

const OFFER_STRENGTHS = {
  StrongWeak: 'summary.strongWeak',
  Strong: 'summary.strong',
  Weak: 'summary.weak',
} as const;

/** "Strong on sector and geography, weak on amount." for one role's criteria; none when neither. */
function strengths(criteria: readonly Criterion[], role: Role): Sentence[] {
  const names = (pick: (c: Criterion) => boolean) =>
    criteria.filter((c) => c.role === role && pick(c)).map((c) => c.name);
  const strong = names((c) => c.value >= 0.75);
  const weak = names((c) => c.value < 0.35);
  if (strong.length === 0 && weak.length === 0) return [];
  const params = {
    ...(strong.length ? { strong: codes('criterion', strong) } : {}),
    ...(weak.length ? { weak: codes('criterion', weak) } : {}),
  };
  const which = strong.length && weak.length ? 'StrongWeak' : strong.length ? 'Strong' : 'Weak';
  if (role === 'offer') return [say(OFFER_STRENGTHS[which], params)];
  return [say(`summary.role${which}`, { role: code('role', role), ...params })];
}

function summarised(rules: ExplainedRule[], criteria: Criterion[], sentences: Sentence[]): Explanation {
  return { rules, criteria, summary: sentences.map(english).join(' '), summarySentences: sentences };
}

/** `values` are the parts of the score as the engine computed them (worked out again when absent). */
export function explainSingle(
  p: Pair,
  modality: Modality,
  score: number,
  rejected: ReadonlySet<string>,
  values: PartValues = partValues(p),
): Explanation {
  const criteria = describeCriteria(p, 'offer', 1, values);
  const rules = [
    ...explainRules(p, 'offer'),
    explained(notRejected(p.need.id, [p.offer.id], rejected), p.offer.id, 'offer'),
  ];
  const headline = say('summary.single', {
    modality: code('modality', modality),
    score: round2(score),
    offerOrg: p.offerOrg.name,
    offerCountry: code('country', p.offerOrg.country),
    title: p.offer.title,
    needOrg: p.needOrg.name,
    needCountry: code('country', p.needOrg.country),
  });
  return summarised(rules, criteria, [headline, ...strengths(criteria, 'offer')]);
}

export function explainTriad(
  provider: Pair,
  funder: Pair,
  score: number,
  rejected: ReadonlySet<string>,
  values: { provider: PartValues; funder: PartValues } = {
    provider: partValues(provider),
    funder: partValues(funder),
  },
): Explanation {
  const criteria = [
    ...describeCriteria(provider, 'provider', TRIAD_SHARES.provider, values.provider),
    ...describeCriteria(funder, 'funder', TRIAD_SHARES.funder, values.funder),
  ];
  const offerIds = [provider.offer.id, funder.offer.id];
  const rules = [
    ...explainRules(provider, 'provider'),
    ...explainRules(funder, 'funder'),
    explained(triadPartners(provider.offerOrg, funder.offerOrg), funder.offer.id, 'funder'),
    explained(notRejected(provider.need.id, offerIds, rejected), funder.offer.id, 'funder'),
  ];
  const headline = say('summary.triad', {
    score: round2(score),
    provider: provider.offerOrg.name,
    providerCountry: code('country', provider.offerOrg.country),
    providerTitle: provider.offer.title,
    needOrg: provider.needOrg.name,
    needCountry: code('country', provider.needOrg.country),
    funder: funder.offerOrg.name,
    funderCountry: code('country', funder.offerOrg.country),
    funderTitle: funder.offer.title,
  });
  return summarised(rules, criteria, [
    headline,
    ...strengths(criteria, 'provider'),
    ...strengths(criteria, 'funder'),
  ]);
}

/** The score as the summary shows it, two decimals. */
const round2 = (x: number) => Math.round(x * 100) / 100;
