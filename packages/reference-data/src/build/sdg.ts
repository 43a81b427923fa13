import type { SdgFile, SourceLabels } from '../schemas';
import { parseIatiCodelist } from './iati';
import { parseFlatYaml } from './yaml';

export interface SdgSources {
  iatiGoalsXml: string;
  iatiTargetsXml: string;
  /** open-sdg's `global_goals.yml` and `global_targets.yml`, by language. */
  yaml: Record<'en' | 'fr' | 'es', { goals: string; targets: string }>;
}

/**
 * The IATI codelists say which goals and targets exist; open-sdg's translations give their titles
 * in English, French and Spanish (short goal names included, which IATI lacks).
 */
export function buildSdg(sources: SdgSources): SdgFile {
  const goalsByLang = {
    en: parseFlatYaml(sources.yaml.en.goals),
    fr: parseFlatYaml(sources.yaml.fr.goals),
    es: parseFlatYaml(sources.yaml.es.goals),
  };
  const targetsByLang = {
    en: parseFlatYaml(sources.yaml.en.targets),
    fr: parseFlatYaml(sources.yaml.fr.targets),
    es: parseFlatYaml(sources.yaml.es.targets),
  };
  const goals = parseIatiCodelist(sources.iatiGoalsXml).map(({ code }) => ({
    number: Number(code),
    name: translated(goalsByLang, `${code}-short`),
    title: translated(goalsByLang, `${code}-title`),
  }));
  const targets = parseIatiCodelist(sources.iatiTargetsXml).map(({ code }) => {
    const [goal, target] = code.split('.');
    return { code, goal: Number(goal), name: translated(targetsByLang, `${goal}-${target}-title`) };
  });
  const goalNumbers = new Set(goals.map((g) => g.number));
  for (const target of targets) {
    if (!goalNumbers.has(target.goal)) throw new Error(`SDG target ${target.code} has no goal`);
  }
  return { goals, targets };
}

/** Typos of the open-sdg files, replaced by the UN's wording. */
const FIXES: Readonly<Record<string, Partial<SourceLabels>>> = {
  '8-short': { fr: 'Travail décent et croissance économique' },
};

function translated(byLang: Record<'en' | 'fr' | 'es', Map<string, string>>, key: string): SourceLabels {
  const en = FIXES[key]?.en ?? byLang.en.get(key);
  const fr = FIXES[key]?.fr ?? byLang.fr.get(key);
  const es = FIXES[key]?.es ?? byLang.es.get(key);
  if (!en) throw new Error(`open-sdg translations have no English "${key}"`);
  return { en, ...(fr ? { fr } : {}), ...(es ? { es } : {}) };
}
