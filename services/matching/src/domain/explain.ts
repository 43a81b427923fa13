import type { Modality } from '@mutirao/contracts';
import { featuresOf } from './features';
import { categoryOf, countryFacts, countryName, sectorName } from './reference';
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
import { sharedWordsWith } from './text';
import { notRejected, rulesFor, triadPartners, verdicts } from './triad-rules';
import type { Criterion, CriterionName, ExplainedRule, Explanation, Pair, Role, RuleVerdict } from './types';
import { list, money, percent } from './words';

/** Words for the proposals that reach a coordinator: every rule checked and every part of the score. */

const PRIORITY_WORDS = {
  ldc: 'least developed countries',
  lldc: 'landlocked developing countries',
  sids: 'small island developing states',
};

function sectorText({ need, offer }: Pair, value: number): string {
  if (offer.sectors.length === 0)
    return 'The offer is open to every sector, so the sector fits but says little.';
  if (need.sectors.length === 0 || value === ANY_SECTOR) return 'The need names no sector to compare.';
  const named = (codes: readonly string[]) => list(codes.map((s) => `${s} (${sectorName(s)})`));
  const exact = need.sectors.filter((s) => offer.sectors.includes(s));
  const sameCategory = need.sectors.filter(
    (s) => !exact.includes(s) && offer.sectors.some((o) => categoryOf(o) === categoryOf(s)),
  );
  const parts: string[] = [];
  if (exact.length) parts.push(`the same sector ${named(exact)}`);
  if (sameCategory.length) parts.push(`the category of ${named(sameCategory)}`);
  const missing = need.sectors.length - exact.length - sameCategory.length;
  const rest = missing
    ? `; ${missing} of the need's sectors find${missing === 1 ? 's' : ''} nothing close`
    : '';
  return `Need and offer share ${list(parts)}${rest}.`;
}

function sdgText({ need, offer }: Pair): string {
  if (need.sdgs.length === 0) return 'The need names no Sustainable Development Goal.';
  const shared = need.sdgs.filter((g) => offer.sdgs.includes(g));
  if (shared.length === 0) return 'No Sustainable Development Goal in common.';
  return `Both work towards SDG ${list(shared.map(String))} (${shared.length} of the need's ${need.sdgs.length}).`;
}

/** The need's text as `featuresOf` reads it, put together once per need rather than once per offer. */
let textOf: { need: Pair['need']; text: string } | undefined;

function needText(need: Pair['need']): string {
  if (textOf?.need !== need) textOf = { need, text: `${need.title}\n${need.description}` };
  return textOf.text;
}

function textText(p: Pair, value: number): string {
  const words = sharedWordsWith(needText(p.need), p.need.language, featuresOf(p.offer).terms).slice(0, 6);
  if (words.length === 0) return 'The two descriptions have no words in common.';
  const lang =
    p.need.language === p.offer.language
      ? ''
      : ' (they are written in different languages, which lowers this part)';
  return `Text similarity ${percent(value)}: both speak of ${list(words.map((w) => `“${w}”`))}${lang}.`;
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

function geographyText({ need, needOrg, offerOrg }: Pair): string {
  const where = countryName(offerOrg.country);
  if (need.countriesOfInterest.includes(offerOrg.country))
    return `${offerOrg.name} is in ${where}, one of the need's countries of interest.`;
  for (const c of need.countriesOfInterest) {
    const area = sharedArea(c, offerOrg.country);
    if (area) return `${where} is in the same region (${area}) as ${countryName(c)}, a country of interest.`;
  }
  const interest = need.countriesOfInterest.length
    ? `${where} is not among the countries of interest (${list(need.countriesOfInterest.map(countryName))}); `
    : '';
  if (needOrg.country === offerOrg.country) return `${interest}both are in ${where}.`;
  const area = sharedArea(needOrg.country, offerOrg.country);
  const home = countryName(needOrg.country);
  return area
    ? `${interest}${where} and ${home} are both in ${area}.`
    : `${interest}${where} and ${home} are in different regions.`;
}

function amountText(p: Pair): string {
  const { amount } = p.need;
  const range = p.offer.amount;
  if (!amount) return 'The need states no amount to compare.';
  if (!range) return 'The offer states no amount range to compare.';
  const v = amountInOfferCurrency(p.need, p.offer);
  const pos = positionInRange(p.need, p.offer);
  if (v === undefined || pos === undefined)
    return `No exchange rate from ${amount.currency} to ${range.currency}.`;
  const span = `${money(range.min, range.currency)} – ${money(range.max, range.currency)}`;
  return `${money(v, range.currency)} sits at ${percent(pos)} of the offer's range (${span}); the middle fits best.`;
}

function priorityText({ offer, needOrg }: Pair): string {
  if (offer.priorities.length === 0) return 'The offer gives no priority to particular groups of countries.';
  const words = list(
    offer.priorities.map((x) => PRIORITY_WORDS[x]),
    'or',
  );
  const home = countryName(needOrg.country);
  return favours(offer.priorities, countryFacts(needOrg.country))
    ? `The offer gives priority to ${words}, and ${home} is one.`
    : `The offer gives priority to ${words}; ${home} is not one.`;
}

function criterionText(name: CriterionName, p: Pair, value: number): string {
  switch (name) {
    case 'sector':
      return sectorText(p, value);
    case 'sdg':
      return sdgText(p);
    case 'text':
      return textText(p, value);
    case 'geography':
      return geographyText(p);
    case 'amount':
      return amountText(p);
    case 'priority':
      return priorityText(p);
  }
}

const ROLE_PREFIX: Record<Role, string> = { offer: '', provider: 'Provider: ', funder: 'Funder: ' };

function describeCriteria(p: Pair, role: Role, share: number, values: PartValues): Criterion[] {
  return CRITERIA.map((name) => ({
    name,
    weight: WEIGHTS[name] * share,
    value: values[name],
    text: ROLE_PREFIX[role] + criterionText(name, p, values[name]),
    offerId: p.offer.id,
    role,
  }));
}

function explained(v: RuleVerdict, offerId: string, role: Role): ExplainedRule {
  return { rule: v.rule, ok: v.ok, text: ROLE_PREFIX[role] + v.reason, offerId, role };
}

function explainRules(p: Pair, role: Role): ExplainedRule[] {
  return verdicts(rulesFor(role, p.need), p).map((v) => explained(v, p.offer.id, role));
}

const CRITERION_WORDS: Record<CriterionName, string> = {
  sector: 'sector',
  sdg: 'shared SDGs',
  text: 'similar descriptions',
  geography: 'geography',
  amount: 'amount',
  priority: 'priority countries',
};

/** "Strong on sector and geography, weak on amount." for one role's criteria. */
function strengths(criteria: readonly Criterion[], role: Role): string {
  const names = (pick: (c: Criterion) => boolean) =>
    criteria.filter((c) => c.role === role && pick(c)).map((c) => CRITERION_WORDS[c.name]);
  const strong = names((c) => c.value >= 0.75);
  const weak = names((c) => c.value < 0.35);
  const sentence = [
    strong.length ? `strong on ${list(strong)}` : '',
    weak.length ? `weak on ${list(weak)}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  if (!sentence) return '';
  return role === 'offer'
    ? `${sentence[0]?.toUpperCase()}${sentence.slice(1)}.`
    : `The ${role} is ${sentence}.`;
}

const at = (o: { name: string; country: string }) => `${o.name} (${countryName(o.country)})`;
const MODALITY_WORDS: Record<Modality, string> = {
  'south-south': 'South-South',
  'north-south': 'North-South',
  triangular: 'Triangular',
};

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
  const summary = `${MODALITY_WORDS[modality]} proposal, score ${score.toFixed(2)}: ${at(p.offerOrg)} offers “${p.offer.title}” to ${at(p.needOrg)}. ${strengths(criteria, 'offer')}`;
  return { rules, criteria, summary: summary.trim() };
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
  const summary = `Triangular proposal, score ${score.toFixed(2)}: ${at(provider.offerOrg)} provides “${provider.offer.title}” to ${at(provider.needOrg)}, funded by ${at(funder.offerOrg)} through “${funder.offer.title}”. ${strengths(criteria, 'provider')} ${strengths(criteria, 'funder')}`;
  return { rules, criteria, summary: summary.trim() };
}
