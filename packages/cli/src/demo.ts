import {
  EXCHANGE_FORMAT,
  type ExchangeFile,
  type FileNeed,
  type FileOffer,
  type FileOrganisation,
  type Instrument,
  type NeedType,
  type OrganisationKind,
  type SseForm,
} from '@mutirao/contracts';
import { mulberry32 } from '@mutirao/kernel';
import { type Country, countries, m49Region } from '@mutirao/reference-data';

/**
 * A realistic demo exchange generated from a seed: about 300 organisations, 500 needs and 700
 * offers across the developing regions, written in English, French, Spanish and Portuguese, with
 * partners in the North for triangular funding. Deterministic: one seed, one file.
 */
type Lang = 'en' | 'fr' | 'es' | 'pt';

interface Theme {
  sector: string;
  related: string;
  sdgs: number[];
  /** Subject of a need or offer in each language. */
  subject: Record<Lang, string>;
}

const THEMES: Theme[] = [
  {
    sector: '23231',
    related: '23230',
    sdgs: [7, 13],
    subject: {
      en: 'community solar mini-grids',
      fr: 'mini-réseaux solaires communautaires',
      es: 'minirredes solares comunitarias',
      pt: 'mini-redes solares comunitárias',
    },
  },
  {
    sector: '31140',
    related: '31161',
    sdgs: [2, 6],
    subject: {
      en: 'drip irrigation for vegetable growers',
      fr: 'irrigation goutte-à-goutte maraîchère',
      es: 'riego por goteo para horticultores',
      pt: 'irrigação gota a gota para hortas',
    },
  },
  {
    sector: '31161',
    related: '31120',
    sdgs: [2, 12],
    subject: {
      en: 'food crop processing and storage',
      fr: 'transformation et stockage des cultures vivrières',
      es: 'procesamiento y almacenamiento de cultivos',
      pt: 'processamento e armazenamento de culturas alimentares',
    },
  },
  {
    sector: '33210',
    related: '41030',
    sdgs: [8, 11],
    subject: {
      en: 'community-based tourism',
      fr: 'tourisme communautaire',
      es: 'turismo comunitario',
      pt: 'turismo de base comunitária',
    },
  },
  {
    sector: '31220',
    related: '41030',
    sdgs: [15, 13],
    subject: {
      en: 'agroforestry and native nurseries',
      fr: 'agroforesterie et pépinières locales',
      es: 'agroforestería y viveros nativos',
      pt: 'agrofloresta e viveiros nativos',
    },
  },
  {
    sector: '32163',
    related: '32161',
    sdgs: [8, 12],
    subject: {
      en: 'textile and handicraft production',
      fr: 'production textile et artisanale',
      es: 'producción textil y artesanal',
      pt: 'produção têxtil e artesanal',
    },
  },
  {
    sector: '24030',
    related: '24040',
    sdgs: [1, 8],
    subject: {
      en: 'cooperative savings and microcredit',
      fr: 'épargne coopérative et microcrédit',
      es: 'ahorro cooperativo y microcrédito',
      pt: 'poupança cooperativa e microcrédito',
    },
  },
  {
    sector: '14030',
    related: '14031',
    sdgs: [6, 3],
    subject: {
      en: 'community water supply',
      fr: 'approvisionnement communautaire en eau',
      es: 'abastecimiento comunitario de agua',
      pt: 'abastecimento comunitário de água',
    },
  },
  {
    sector: '31320',
    related: '31310',
    sdgs: [14, 2],
    subject: {
      en: 'artisanal fisheries and cold chain',
      fr: 'pêche artisanale et chaîne du froid',
      es: 'pesca artesanal y cadena de frío',
      pt: 'pesca artesanal e cadeia de frio',
    },
  },
  {
    sector: '25030',
    related: '25010',
    sdgs: [8, 5],
    subject: {
      en: 'business development for women-led enterprises',
      fr: 'développement des entreprises dirigées par des femmes',
      es: 'desarrollo empresarial de mujeres',
      pt: 'desenvolvimento de empreendimentos liderados por mulheres',
    },
  },
  {
    sector: '11330',
    related: '11320',
    sdgs: [4, 8],
    subject: {
      en: 'vocational training for young members',
      fr: 'formation professionnelle des jeunes membres',
      es: 'formación profesional para jóvenes socios',
      pt: 'formação profissional para jovens associados',
    },
  },
  {
    sector: '14050',
    related: '14010',
    sdgs: [11, 12],
    subject: {
      en: 'waste collection and recycling',
      fr: 'collecte et recyclage des déchets',
      es: 'recolección y reciclaje de residuos',
      pt: 'coleta e reciclagem de resíduos',
    },
  },
];

const NEED_PHRASE: Record<NeedType, Record<Lang, (s: string) => string>> = {
  'market-access': {
    en: (s) => `Buyers for our ${s}`,
    fr: (s) => `Des acheteurs pour notre ${s}`,
    es: (s) => `Compradores para nuestra ${s}`,
    pt: (s) => `Compradores para a nossa ${s}`,
  },
  technology: {
    en: (s) => `Technology for ${s}`,
    fr: (s) => `Technologie pour ${s}`,
    es: (s) => `Tecnología para ${s}`,
    pt: (s) => `Tecnologia para ${s}`,
  },
  financing: {
    en: (s) => `Financing for ${s}`,
    fr: (s) => `Financement pour ${s}`,
    es: (s) => `Financiamiento para ${s}`,
    pt: (s) => `Financiamento para ${s}`,
  },
  'capacity-building': {
    en: (s) => `Training in ${s}`,
    fr: (s) => `Formation en ${s}`,
    es: (s) => `Capacitación en ${s}`,
    pt: (s) => `Capacitação em ${s}`,
  },
  'knowledge-exchange': {
    en: (s) => `Peer exchange on ${s}`,
    fr: (s) => `Échange entre pairs sur ${s}`,
    es: (s) => `Intercambio entre pares sobre ${s}`,
    pt: (s) => `Intercâmbio entre pares sobre ${s}`,
  },
  'supply-chain': {
    en: (s) => `Joining a supply chain for ${s}`,
    fr: (s) => `Intégrer une chaîne d'approvisionnement : ${s}`,
    es: (s) => `Integrar una cadena de suministro de ${s}`,
    pt: (s) => `Integrar uma cadeia de abastecimento de ${s}`,
  },
};

const NEED_BODY: Record<Lang, (org: string, s: string) => string> = {
  en: (org, s) =>
    `${org} is looking for partners in ${s}; members want to grow income and keep decisions democratic.`,
  fr: (org, s) =>
    `${org} cherche des partenaires pour ${s} ; les membres veulent augmenter leurs revenus en gardant une gouvernance démocratique.`,
  es: (org, s) =>
    `${org} busca socios para ${s}; sus integrantes quieren mejorar ingresos manteniendo decisiones democráticas.`,
  pt: (org, s) =>
    `${org} procura parceiros em ${s}; os associados querem aumentar a renda mantendo a gestão democrática.`,
};

const OFFER_PHRASE: Record<Lang, (s: string) => string> = {
  en: (s) => `Support for ${s}`,
  fr: (s) => `Appui à ${s}`,
  es: (s) => `Apoyo para ${s}`,
  pt: (s) => `Apoio a ${s}`,
};
const OFFER_BODY: Record<Lang, (org: string, s: string) => string> = {
  en: (org, s) => `${org} offers its experience in ${s} to cooperatives and associations of the South.`,
  fr: (org, s) => `${org} met son expérience en ${s} au service des coopératives et associations du Sud.`,
  es: (org, s) => `${org} ofrece su experiencia en ${s} a cooperativas y asociaciones del Sur.`,
  pt: (org, s) => `${org} oferece a sua experiência em ${s} a cooperativas e associações do Sul.`,
};

const FRANCOPHONE = new Set([
  'SN',
  'ML',
  'BF',
  'NE',
  'CI',
  'TG',
  'BJ',
  'GN',
  'CM',
  'CD',
  'CG',
  'GA',
  'TD',
  'CF',
  'MG',
  'RW',
  'BI',
  'HT',
  'MA',
  'TN',
  'DZ',
  'MR',
  'DJ',
  'KM',
]);
const LUSOPHONE = new Set(['BR', 'AO', 'MZ', 'GW', 'CV', 'ST', 'TL']);
const NORTH = ['DE', 'FR', 'NO', 'CH', 'ES', 'PT', 'CA', 'SE', 'NL', 'BE', 'IT', 'JP'];

function languageOf(c: Country): Lang {
  if (LUSOPHONE.has(c.code)) return 'pt';
  if (FRANCOPHONE.has(c.code)) return 'fr';
  if (
    c.intermediateRegion === 'South America' ||
    c.intermediateRegion === 'Central America' ||
    ['CU', 'DO'].includes(c.code)
  )
    return 'es';
  return 'en';
}

function northLanguage(code: string): Lang {
  return code === 'FR' || code === 'BE' || code === 'CH'
    ? 'fr'
    : code === 'ES'
      ? 'es'
      : code === 'PT'
        ? 'pt'
        : 'en';
}

export interface DemoSize {
  organisations: number;
  needs: number;
  offers: number;
}

export function generateDemo(
  seed = 2026,
  size: DemoSize = { organisations: 300, needs: 500, offers: 700 },
  today = new Date('2026-11-28T00:00:00Z'),
): ExchangeFile {
  const r = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const chance = (p: number) => r() < p;
  const developing = countries().filter((c) => c.developing && c.region && c.subRegion && c.code !== 'AQ');
  const south = developing.filter((c) => ['Africa', 'Americas', 'Asia', 'Oceania'].includes(c.region ?? ''));
  const days = (n: number) => new Date(today.getTime() + n * 86_400_000).toISOString().slice(0, 10);

  const organisations: FileOrganisation[] = [];
  const sseCount = Math.round(size.organisations * 0.65);
  const forms: SseForm[] = [
    'cooperative',
    'cooperative',
    'association',
    'mutual',
    'social-enterprise',
    'self-help-group',
    'foundation',
  ];
  const orgNames: Record<Lang, string[]> = {
    en: ['Cooperative', 'Producers Association', 'Women Traders Union', 'Community Enterprise'],
    fr: ['Coopérative', 'Association des producteurs', 'Groupement des femmes', 'Mutuelle'],
    es: ['Cooperativa', 'Asociación de productores', 'Red de mujeres', 'Mutual'],
    pt: ['Cooperativa', 'Associação de produtores', 'Rede de mulheres', 'Mutualidade'],
  };
  const themeOf = new Map<string, Theme>();
  for (let i = 0; i < size.organisations; i++) {
    const isSse = i < sseCount;
    const northern = !isSse && chance(0.45);
    const c = northern ? (NORTH[i % NORTH.length] ?? 'DE') : pick(south).code;
    const country = countries().find((x) => x.code === c);
    const lang = northern ? northLanguage(c) : country ? languageOf(country) : 'en';
    const theme = pick(THEMES);
    const kind: OrganisationKind = isSse
      ? 'sse-entity'
      : pick(
          northern
            ? ([
                'financier',
                'financier',
                'international-organisation',
                'market-partner',
                'public-agency',
              ] as const)
            : ([
                'financier',
                'technology-provider',
                'training-provider',
                'market-partner',
                'network',
              ] as const),
        );
    const ref = `demo-org-${String(i + 1).padStart(3, '0')}`;
    const name = `${pick(orgNames[lang])} ${country?.name.en ?? c} ${i + 1}`;
    themeOf.set(ref, theme);
    organisations.push({
      ref,
      name,
      kind,
      ...(isSse ? { sseForm: pick(forms), ...(chance(0.2) ? { informal: true } : {}) } : {}),
      country: c,
      languages: [...new Set([lang, chance(0.4) ? 'en' : lang])],
      sectors: [theme.sector],
      description: `${name}: ${theme.subject[lang]}.`,
      verified: chance(0.92),
      contact: { email: `contact@${ref}.example` },
    });
  }

  const sse = organisations.filter((o) => o.kind === 'sse-entity');
  const partners = organisations.filter((o) => o.kind !== 'sse-entity');
  const needTypes: NeedType[] = [
    'market-access',
    'technology',
    'financing',
    'capacity-building',
    'knowledge-exchange',
    'supply-chain',
  ];
  const needs: FileNeed[] = [];
  for (let i = 0; i < size.needs; i++) {
    const org = pick(sse);
    const theme = themeOf.get(org.ref) ?? pick(THEMES);
    const lang = (org.languages[0] ?? 'en') as Lang;
    const type = pick(needTypes);
    const partnerCountry = chance(0.3) ? pick(south).code : undefined;
    needs.push({
      ref: `demo-need-${String(i + 1).padStart(3, '0')}`,
      organisation: org.ref,
      type,
      title: NEED_PHRASE[type][lang](theme.subject[lang]),
      description: NEED_BODY[lang](org.name, theme.subject[lang]),
      language: lang,
      workingLanguages: org.languages,
      sectors: chance(0.3) ? [theme.sector, theme.related] : [theme.sector],
      sdgs: theme.sdgs,
      ...(type === 'financing' || chance(0.3)
        ? { amount: { value: Math.round(5 + r() * 195) * 1000, currency: 'USD' } }
        : {}),
      ...(type !== 'financing' && chance(0.3) ? { fundingRequired: true } : {}),
      ...(partnerCountry ? { countriesOfInterest: [partnerCountry] } : {}),
      expiresAt: days(60 + Math.floor(r() * 300)),
    });
  }

  const instruments: Record<NeedType, Instrument[]> = {
    'market-access': ['market-agreement'],
    technology: ['technology-licence', 'equipment', 'technical-assistance'],
    financing: ['grant', 'loan', 'equity', 'guarantee'],
    'capacity-building': ['training', 'technical-assistance'],
    'knowledge-exchange': ['peer-exchange'],
    'supply-chain': ['market-agreement', 'technical-assistance'],
  };
  const offers: FileOffer[] = [];
  for (let i = 0; i < size.offers; i++) {
    // A third of offers come from Southern SSE peers: south-south exchange between entities.
    const org = chance(0.3) ? pick(sse) : pick(partners);
    const theme = themeOf.get(org.ref) ?? pick(THEMES);
    const lang = (org.languages[0] ?? 'en') as Lang;
    const northern = NORTH.includes(org.country);
    const funder = org.kind === 'financier' || (northern && chance(0.5));
    const type: NeedType = funder ? 'financing' : pick(needTypes.filter((t) => t !== 'financing'));
    const region = countries().find((c) => c.code === org.country)?.subRegion;
    const eligibility: FileOffer['eligibility'] = {};
    if (!northern && region && m49Region(region) && chance(0.5)) eligibility.regions = [region];
    if (chance(0.4)) eligibility.developingOnly = true;
    if (chance(0.25)) eligibility.sseForms = ['cooperative', 'association'];
    offers.push({
      ref: `demo-offer-${String(i + 1).padStart(3, '0')}`,
      organisation: org.ref,
      types: funder && chance(0.2) ? ['financing', pick(needTypes.filter((t) => t !== 'financing'))] : [type],
      instrument: pick(instruments[type]),
      title: OFFER_PHRASE[lang](theme.subject[lang]),
      description: OFFER_BODY[lang](org.name, theme.subject[lang]),
      language: lang,
      workingLanguages: [...new Set([...org.languages, ...(chance(0.5) ? ['en', 'fr'] : [])])],
      sectors: chance(0.2) ? [] : [theme.sector],
      sdgs: theme.sdgs,
      eligibility,
      ...(chance(0.3) ? { priorities: [pick(['ldc', 'lldc', 'sids'] as const)] } : {}),
      ...(funder
        ? { amount: { min: 5000, max: Math.round(50 + r() * 450) * 1000, currency: pick(['USD', 'EUR']) } }
        : {}),
      modalities: northern
        ? funder
          ? ['triangular', ...(chance(0.3) ? (['north-south'] as const) : [])]
          : ['north-south']
        : ['south-south', 'triangular'],
      capacity: 1 + Math.floor(r() * 5),
      expiresAt: days(90 + Math.floor(r() * 365)),
    });
  }
  return { format: EXCHANGE_FORMAT, organisations, needs, offers };
}
