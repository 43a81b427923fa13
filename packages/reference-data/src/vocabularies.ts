import type { Labels, Lang } from './labels';
import { label } from './labels';
import { deepFreeze, indexBy } from './lazy';

/**
 * The exchange's own closed vocabularies (codes as in `@mutirao/contracts`) with their UI labels.
 * The labels in all four languages are the project's own translations.
 */
export interface VocabularyEntry {
  code: string;
  name: Labels;
}

export type Vocabulary = 'organisationKind' | 'needType' | 'instrument' | 'modality' | 'sseForm';

/** Codes in the order the UI offers them, each with its label in the four languages. */
type Entries = Readonly<Record<string, Required<Labels>>>;

/** The ILO's SSE entity forms (2022 resolution concerning decent work and the SSE). */
const SSE_FORMS: Entries = {
  cooperative: { en: 'Cooperative', fr: 'Coopérative', es: 'Cooperativa', pt: 'Cooperativa' },
  association: { en: 'Association', fr: 'Association', es: 'Asociación', pt: 'Associação' },
  mutual: { en: 'Mutual society', fr: 'Mutuelle', es: 'Mutual', pt: 'Mútua' },
  foundation: { en: 'Foundation', fr: 'Fondation', es: 'Fundación', pt: 'Fundação' },
  'social-enterprise': {
    en: 'Social enterprise',
    fr: 'Entreprise sociale',
    es: 'Empresa social',
    pt: 'Empresa social',
  },
  'self-help-group': {
    en: 'Self-help group',
    fr: 'Groupe d’entraide',
    es: 'Grupo de autoayuda',
    pt: 'Grupo de autoajuda',
  },
  other: { en: 'Other form', fr: 'Autre forme', es: 'Otra forma', pt: 'Outra forma' },
};

const ORGANISATION_KINDS: Entries = {
  'sse-entity': { en: 'SSE entity', fr: 'Entité de l’ESS', es: 'Entidad de la ESS', pt: 'Entidade da ESS' },
  financier: { en: 'Financier', fr: 'Financeur', es: 'Financiador', pt: 'Financiador' },
  'technology-provider': {
    en: 'Technology provider',
    fr: 'Fournisseur de technologie',
    es: 'Proveedor de tecnología',
    pt: 'Fornecedor de tecnologia',
  },
  'market-partner': {
    en: 'Market partner',
    fr: 'Partenaire commercial',
    es: 'Socio comercial',
    pt: 'Parceiro comercial',
  },
  'training-provider': {
    en: 'Training provider',
    fr: 'Organisme de formation',
    es: 'Entidad de formación',
    pt: 'Entidade de formação',
  },
  network: { en: 'Network', fr: 'Réseau', es: 'Red', pt: 'Rede' },
  'public-agency': {
    en: 'Public agency',
    fr: 'Organisme public',
    es: 'Organismo público',
    pt: 'Órgão público',
  },
  'international-organisation': {
    en: 'International organisation',
    fr: 'Organisation internationale',
    es: 'Organización internacional',
    pt: 'Organização internacional',
  },
};

const NEED_TYPES: Entries = {
  'market-access': {
    en: 'Market access',
    fr: 'Accès aux marchés',
    es: 'Acceso a mercados',
    pt: 'Acesso a mercados',
  },
  technology: { en: 'Technology', fr: 'Technologie', es: 'Tecnología', pt: 'Tecnologia' },
  financing: { en: 'Financing', fr: 'Financement', es: 'Financiamiento', pt: 'Financiamento' },
  'capacity-building': {
    en: 'Capacity building',
    fr: 'Renforcement des capacités',
    es: 'Fortalecimiento de capacidades',
    pt: 'Fortalecimento de capacidades',
  },
  'knowledge-exchange': {
    en: 'Knowledge exchange',
    fr: 'Échange de connaissances',
    es: 'Intercambio de conocimientos',
    pt: 'Intercâmbio de conhecimentos',
  },
  'supply-chain': {
    en: 'Supply chain',
    fr: 'Chaîne d’approvisionnement',
    es: 'Cadena de suministro',
    pt: 'Cadeia de suprimentos',
  },
};

const INSTRUMENTS: Entries = {
  grant: { en: 'Grant', fr: 'Subvention', es: 'Donación', pt: 'Doação' },
  loan: { en: 'Loan', fr: 'Prêt', es: 'Préstamo', pt: 'Empréstimo' },
  equity: {
    en: 'Equity',
    fr: 'Prise de participation',
    es: 'Participación en el capital',
    pt: 'Participação no capital',
  },
  guarantee: { en: 'Guarantee', fr: 'Garantie', es: 'Garantía', pt: 'Garantia' },
  'technical-assistance': {
    en: 'Technical assistance',
    fr: 'Assistance technique',
    es: 'Asistencia técnica',
    pt: 'Assistência técnica',
  },
  training: { en: 'Training', fr: 'Formation', es: 'Formación', pt: 'Formação' },
  'technology-licence': {
    en: 'Technology licence',
    fr: 'Licence de technologie',
    es: 'Licencia de tecnología',
    pt: 'Licenciamento de tecnologia',
  },
  equipment: { en: 'Equipment', fr: 'Équipement', es: 'Equipamiento', pt: 'Equipamentos' },
  'market-agreement': {
    en: 'Market agreement',
    fr: 'Accord commercial',
    es: 'Acuerdo comercial',
    pt: 'Acordo comercial',
  },
  'peer-exchange': {
    en: 'Peer exchange',
    fr: 'Échange entre pairs',
    es: 'Intercambio entre pares',
    pt: 'Intercâmbio entre pares',
  },
};

const MODALITIES: Entries = {
  'south-south': {
    en: 'South-South cooperation',
    fr: 'Coopération Sud-Sud',
    es: 'Cooperación Sur-Sur',
    pt: 'Cooperação Sul-Sul',
  },
  triangular: {
    en: 'Triangular cooperation',
    fr: 'Coopération triangulaire',
    es: 'Cooperación triangular',
    pt: 'Cooperação triangular',
  },
  'north-south': {
    en: 'North-South cooperation',
    fr: 'Coopération Nord-Sud',
    es: 'Cooperación Norte-Sur',
    pt: 'Cooperação Norte-Sul',
  },
};

const SOURCES: Readonly<Record<Vocabulary, Entries>> = {
  organisationKind: ORGANISATION_KINDS,
  needType: NEED_TYPES,
  instrument: INSTRUMENTS,
  modality: MODALITIES,
  sseForm: SSE_FORMS,
};

const entries = (rows: Entries): readonly VocabularyEntry[] =>
  deepFreeze(Object.entries(rows).map(([code, name]) => ({ code, name })));

const VOCABULARIES = new Map(
  Object.entries(SOURCES).map(([name, rows]) => {
    const list = entries(rows);
    return [name, { list, byCode: indexBy(list, (e) => e.code) }];
  }),
);

export const VOCABULARY_NAMES: readonly Vocabulary[] = Object.freeze([
  'organisationKind',
  'needType',
  'instrument',
  'modality',
  'sseForm',
]);

/** Every entry of a vocabulary, in the order the UI offers them. */
export function vocabulary(name: Vocabulary): readonly VocabularyEntry[] {
  return VOCABULARIES.get(name)?.list ?? [];
}

export function vocabularyEntry(name: Vocabulary, code: string): VocabularyEntry | undefined {
  return VOCABULARIES.get(name)?.byCode.get(code);
}

export function vocabularyLabel(name: Vocabulary, code: string, lang: Lang): string | undefined {
  const entry = vocabularyEntry(name, code);
  return entry && label(entry.name, lang);
}

export function sseForm(code: string): VocabularyEntry | undefined {
  return vocabularyEntry('sseForm', code);
}

export function sseForms(): readonly VocabularyEntry[] {
  return vocabulary('sseForm');
}
