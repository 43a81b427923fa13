import { z } from 'zod';

/**
 * The words of a proposal's explanation as data: a sentence code and its parameters, so that each
 * reader gets them in their own language (the web app holds a catalogue of these codes in EN, FR, ES
 * and PT). Matching also writes each sentence in English (`text`, `summary`) from `SENTENCES_EN`,
 * for the exported file and for readers that know no codes.
 */

/**
 * The vocabularies a code in a sentence belongs to: the reference data's (country, M49 region, DAC
 * sector and category, SDG, ISO 639-1 language, currency, the exchange's own) and the few the
 * explanation names itself (score criteria, priority groups, verification and posting statuses,
 * the part an offer plays).
 */
export const SentenceVocabulary = z.enum([
  'country',
  'region',
  'sector',
  'sectorCategory',
  'sdg',
  'language',
  'currency',
  'needType',
  'modality',
  'sseForm',
  'organisationKind',
  'criterion',
  'priority',
  'verification',
  'postingStatus',
  'role',
]);
export type SentenceVocabulary = z.infer<typeof SentenceVocabulary>;

/** How a list reads: "a, b and c" (the default), "a, b or c", or "a, b, c". */
const Join = z.enum(['and', 'or', 'none']).optional();

/** A value a sentence names: text as written (a name, a title), a number, or one of the kinds below. */
export const SentenceLeaf = z.union([
  z.string(),
  z.number(),
  /** A code, labelled in the reader's language. */
  z.object({ of: SentenceVocabulary, code: z.string() }),
  /** Codes of one vocabulary, labelled and listed ("a, b and c", "a or b"). */
  z.object({ of: SentenceVocabulary, codes: z.array(z.string()), join: Join }),
  z.object({ money: z.number(), currency: z.string() }),
  /** A share in 0–1, written as a percentage. */
  z.object({ percent: z.number() }),
  /** A day, YYYY-MM-DD. */
  z.object({ date: z.string() }),
  /** Words as written (in the need's language), quoted and listed. */
  z.object({ quoted: z.array(z.string()), join: Join }),
]);
export type SentenceLeaf = z.infer<typeof SentenceLeaf>;

/** A part of a sentence with its own code: lists of conditions or problems. */
export const Phrase = z.object({
  code: z.string(),
  params: z.record(z.string(), SentenceLeaf),
});
export type Phrase = z.infer<typeof Phrase>;

export const SentenceValue = z.union([SentenceLeaf, z.object({ phrases: z.array(Phrase), join: Join })]);
export type SentenceValue = z.infer<typeof SentenceValue>;

/**
 * A sentence of an explanation. `params.n`, when present, is the count its plural form follows
 * (`Intl.PluralRules`). The code is a string, not an enum, so that a reader that does not know a
 * code added later falls back to the English text instead of rejecting the proposal.
 */
export const Sentence = z.object({
  code: z.string(),
  params: z.record(z.string(), SentenceValue),
});
export type Sentence = z.infer<typeof Sentence>;

/** A sentence whose wording depends on the count `{n}`. */
export interface PluralTemplate {
  readonly one: string;
  readonly other: string;
}

/**
 * Every sentence and phrase matching writes, in English. The web app's dictionaries hold each as
 * `x.<code>` (`x.<code>.one` / `.other` for the plural ones), in every language; a test holds the
 * English ones equal to these.
 */
export const SENTENCES_EN = {
  // Hard rules.
  'R1.ok': 'The offer provides {type}, which the need asks for.',
  'R1.fail': 'The need asks for {type}; the offer provides only {offered}.',
  'R2.ok': '{needOrg} and {offerOrg} are two different, verified organisations.',
  'R2.own': '{org} cannot be matched with its own offer.',
  'R2.unverified': 'Not verified: {orgs}.',
  'R3.ok': {
    one: 'Both are open (the need until {needUntil}, the offer until {offerUntil}) and the offer can take {n} more partnership.',
    other:
      'Both are open (the need until {needUntil}, the offer until {offerUntil}) and the offer can take {n} more partnerships.',
  },
  'R3.fail': 'Not available: {problems}.',
  'R4.none': 'The offer sets no eligibility conditions.',
  'R4.ok': '{org} ({kind}) in {country} ({areas}) meets every condition of the offer: {conditions}.',
  'R4.fail': 'The offer is open only to {conditions}; {org} ({kind}) is in {country} ({areas}).',
  'R5.ok': 'They can work together in {languages}.',
  'R5.fail': 'No common working language: the need works in {needLanguages}, the offer in {offerLanguages}.',
  'R6.any': 'The offer is open to every sector.',
  'R6.ok': 'Both work in the DAC sector category {categories}.',
  'R6.needNone': 'The offer is limited to the sectors {sectors}; the need names none.',
  'R6.fail':
    'Different sectors: the need is in {needSectors} (category {needCategories}), the offer in {offerSectors} (category {offerCategories}).',
  'R7.noNeedAmount': 'The need states no amount, so there is nothing to compare.',
  'R7.noRange': 'The offer states no amount range, so there is nothing to compare.',
  'R7.noRate':
    "No exchange rate from {from} to {to}, so the amount of {amount} cannot be checked against the offer's range.",
  'R7.ok': "{amount} is within the offer's range of {min} – {max}.",
  'R7.okConverted': "{amount} (about {converted}) is within the offer's range of {min} – {max}.",
  'R7.fail': "{amount} is outside the offer's range of {min} – {max}.",
  'R7.failConverted': "{amount} (about {converted}) is outside the offer's range of {min} – {max}.",
  'R8.notDeveloping':
    '{org} is not in a developing country, so a partnership would be neither South-South nor North-South cooperation.',
  'R8.okAny':
    'A partnership between {needCountry} and {offerCountry} is {modality} cooperation; the offer does not limit its modalities.',
  'R8.ok':
    'A partnership between {needCountry} and {offerCountry} is {modality} cooperation, which the offer takes part in.',
  'R8.fail':
    'The offer takes part only in {modalities} cooperation; a direct partnership between {needCountry} and {offerCountry} would be {modality}.',
  'funds-alone.ok': 'The need requires funding and the offer provides both {type} and financing.',
  'funds-alone.fail': 'The need requires funding: alone, an offer must provide both {type} and financing.',
  'triad-provider.ok':
    '{offerOrg} ({offerCountry}) and {needOrg} ({needCountry}) are both in developing countries, so it can be the Southern provider of a triangular partnership.',
  'triad-provider.north': {
    one: "A triad's provider and beneficiary must both be in developing countries; {n} of them is not: {orgs}.",
    other:
      "A triad's provider and beneficiary must both be in developing countries; {n} of them are not: {orgs}.",
  },
  'triad-provider.modalities':
    'The offer takes part only in {modalities} cooperation, neither South-South nor triangular.',
  'triad-funder.ok': 'The offer provides financing for triangular cooperation.',
  'triad-funder.noFinancing': 'A triad needs a funder, and the offer provides no financing.',
  'triad-funder.notTriangular':
    'The offer does not fund triangular cooperation (it does not list the triangular modality).',
  'triad-partners.ok': 'The provider ({provider}) and the funder ({funder}) are different organisations.',
  'triad-partners.same': '{org} cannot be both the provider and the funder of one triad.',
  'not-rejected.ok': 'A coordinator has not rejected this pairing before.',
  'not-rejected.fail': 'A coordinator already rejected this pairing; it is not proposed again.',

  // Phrases inside the sentences above.
  'part.unverified': '{org} (verification {status})',
  'part.orgIn': '{org} ({country})',
  'part.needStatus': 'the need is {status}',
  'part.offerStatus': 'the offer is {status}',
  'part.needExpired': 'the need expired on {date}',
  'part.offerExpired': 'the offer expired on {date}',
  'part.noCapacity': 'the offer has no capacity left',
  'part.countries': 'organisations in {countries}',
  'part.regions': 'organisations in {regions}',
  'part.developing': 'organisations in developing countries',
  'part.sseForms': 'SSE entities of the form {forms}',
  'part.kinds': 'organisations of the kind {kinds}',
  'part.sameSector': 'the same sector {sectors}',
  'part.sameCategory': 'the category of {sectors}',

  // Parts of the score.
  'sector.any': 'The offer is open to every sector, so the sector fits but says little.',
  'sector.none': 'The need names no sector to compare.',
  'sector.shared': 'Need and offer share {parts}.',
  'sector.partly': {
    one: "Need and offer share {parts}; {n} of the need's sectors finds nothing close.",
    other: "Need and offer share {parts}; {n} of the need's sectors find nothing close.",
  },
  'sdg.none': 'The need names no Sustainable Development Goal.',
  'sdg.noneShared': 'No Sustainable Development Goal in common.',
  'sdg.shared': {
    one: "Both work towards SDG {goals} ({n} of the need's {total}).",
    other: "Both work towards SDG {goals} ({n} of the need's {total}).",
  },
  'text.none': 'The two descriptions have no words in common.',
  'text.shared': 'Text similarity {similarity}: both speak of {words}.',
  'text.sharedApart':
    'Text similarity {similarity}: both speak of {words} (they are written in different languages, which lowers this part).',
  'geography.interest': "{org} is in {country}, one of the need's countries of interest.",
  'geography.nearInterest': '{country} is in the same region ({area}) as {interest}, a country of interest.',
  'geography.sameCountry': 'Both are in {country}.',
  'geography.sameArea': '{country} and {home} are both in {area}.',
  'geography.apart': '{country} and {home} are in different regions.',
  'geography.outsideSameCountry':
    '{country} is not among the countries of interest ({interests}); both are in {country}.',
  'geography.outsideSameArea':
    '{country} is not among the countries of interest ({interests}); {country} and {home} are both in {area}.',
  'geography.outsideApart':
    '{country} is not among the countries of interest ({interests}); {country} and {home} are in different regions.',
  'amount.noNeedAmount': 'The need states no amount to compare.',
  'amount.noRange': 'The offer states no amount range to compare.',
  'amount.noRate': 'No exchange rate from {from} to {to}.',
  'amount.position':
    "{amount} sits at {position} of the offer's range ({min} – {max}); the middle fits best.",
  'priority.none': 'The offer gives no priority to particular groups of countries.',
  'priority.favoured': 'The offer gives priority to {groups}, and {country} is one.',
  'priority.notFavoured': 'The offer gives priority to {groups}; {country} is not one.',

  // The summary.
  'summary.single':
    '{modality} proposal, score {score}: {offerOrg} ({offerCountry}) offers “{title}” to {needOrg} ({needCountry}).',
  'summary.triad':
    'Triangular proposal, score {score}: {provider} ({providerCountry}) provides “{providerTitle}” to {needOrg} ({needCountry}), funded by {funder} ({funderCountry}) through “{funderTitle}”.',
  'summary.strong': 'Strong on {strong}.',
  'summary.weak': 'Weak on {weak}.',
  'summary.strongWeak': 'Strong on {strong}, weak on {weak}.',
  'summary.roleStrong': '{role}: strong on {strong}.',
  'summary.roleWeak': '{role}: weak on {weak}.',
  'summary.roleStrongWeak': '{role}: strong on {strong}, weak on {weak}.',

  // Calls: why the round chose a need or left it out (`{capacity}` lists the call's places and budget).
  'call.chosen.top': {
    one: 'Chosen: the call ({capacity}) took {n} need, the highest-scored of {eligible} eligible; this need ranked {rank}.',
    other:
      'Chosen: the call ({capacity}) took the {n} highest-scored of {eligible} eligible needs; this need ranked {rank}.',
  },
  'call.chosen.over-higher': {
    one: 'Chosen at rank {rank} of {eligible}: {n} higher-ranked need was left out, because with it the call ({capacity}) would have held less in total.',
    other:
      'Chosen at rank {rank} of {eligible}: {n} higher-ranked needs were left out, because with them the call ({capacity}) would have held less in total.',
  },
  'call.left-out.places': {
    one: "Left out: the call's {n} place went to a higher-scored need (rank {lowestChosenRank}); this need ranked {rank}.",
    other:
      "Left out: the call's {n} places went to higher-scored needs (the lowest chosen ranked {lowestChosenRank}); this need ranked {rank}.",
  },
  'call.left-out.budget':
    "Left out: it asks {amount}, more than the {remaining} left of the call's budget of {budget}; this need ranked {rank}.",
  'call.left-out.country-cap': {
    one: 'Left out: the call takes at most {n} need from {country}, and the one chosen there scored higher; this need ranked {rank}.',
    other:
      'Left out: the call takes at most {n} needs from {country}, and those chosen there scored higher; this need ranked {rank}.',
  },
  'call.left-out.below-floor':
    'Left out: for fairness the chosen needs were held to a score of at least {floor}; this need scored {score} (rank {rank}).',
  'call.left-out.trade-off':
    'Left out: taking it would have meant dropping chosen needs worth more together within the call ({capacity}); this need ranked {rank}.',
  'call.left-out.no-amount':
    'Left out: the call has a budget, and this need states no amount to count against it.',
  'call.left-out.no-rate':
    "Left out: no exchange rate from {currency} to the budget's currency to count its amount; this need ranked {rank}.",
  'call.left-out.solver-gap':
    "Left out within the solver's tolerance, although the call had room; this need ranked {rank}.",
  'call.part.places': { one: '{n} place', other: '{n} places' },
  'call.part.budget': 'a budget of {budget}',

  // The ranking model learnt from decisions (`{shifts}` lists the criteria whose weight moved most).
  'learning.region': {
    one: 'Ranked with what coordinators of {region} decided ({n} comparison): {shifts}.',
    other: 'Ranked with what coordinators of {region} decided ({n} comparisons): {shifts}.',
  },
  'learning.global': {
    one: 'Ranked with what coordinators decided ({n} comparison): {shifts}.',
    other: 'Ranked with what coordinators decided ({n} comparisons): {shifts}.',
  },
  'learning.shift.up': '{criterion} counts more ({from} → {to})',
  'learning.shift.down': '{criterion} counts less ({from} → {to})',
  'learning.not-interested':
    '{org} said it was not interested in {type} ({modality}) partnerships: ranked lower (score × {factor}).',
} as const satisfies Record<string, string | PluralTemplate>;

export type SentenceCode = keyof typeof SENTENCES_EN;
export const SENTENCE_CODES = Object.keys(SENTENCES_EN) as SentenceCode[];
