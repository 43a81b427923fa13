export { type CodeEntry, currencies, currency, language, languages } from './codelists';
export {
  type Country,
  countries,
  country,
  countryInRegion,
  type M49Region,
  m49Region,
  m49Regions,
  type RegionLevel,
} from './countries';
export { convert, fxAsOf, unitsPerUsd } from './fx';
export { IATI_CODELISTS, type IatiCodelist, iatiCode, iatiCodes } from './iati';
export { LANGS, type Labels, type Lang, label } from './labels';
export { type SdgGoal, type SdgTarget, sdgGoal, sdgGoals, sdgTarget, sdgTargets } from './sdg';
export {
  type Sector,
  type SectorCategory,
  sector,
  sectorCategories,
  sectorCategory,
  sectors,
} from './sectors';
export {
  sseForm,
  sseForms,
  VOCABULARY_NAMES,
  type Vocabulary,
  type VocabularyEntry,
  vocabulary,
  vocabularyEntry,
  vocabularyLabel,
} from './vocabularies';
export * from './zod';
