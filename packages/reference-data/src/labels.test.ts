import { describe, expect, it } from 'vitest';
import { currencies, languages } from './codelists';
import { countries } from './countries';
import { LANGS, type Labels, label } from './labels';
import { sdgGoals, sdgTargets } from './sdg';
import { sectorCategories, sectors } from './sectors';

/** Every name the reference data takes from its sources, with what it names. */
function sourcedNames(): [string, Labels][] {
  return [
    ...countries().map((c): [string, Labels] => [`country ${c.code}`, c.name]),
    ...sectorCategories().map((s): [string, Labels] => [`sector category ${s.code}`, s.name]),
    ...sectors().map((s): [string, Labels] => [`sector ${s.code}`, s.name]),
    ...sdgGoals().flatMap((g): [string, Labels][] => [
      [`SDG ${g.number} name`, g.name],
      [`SDG ${g.number} title`, g.title],
    ]),
    ...sdgTargets().map((t): [string, Labels] => [`SDG target ${t.code}`, t.name]),
    ...languages().map((l): [string, Labels] => [`language ${l.code}`, l.name]),
    ...currencies().map((c): [string, Labels] => [`currency ${c.code}`, c.name]),
  ];
}

describe('label', () => {
  it('returns the label in the requested language', () => {
    expect(label({ en: 'Loan', fr: 'Prêt', es: 'Préstamo', pt: 'Empréstimo' }, 'pt')).toBe('Empréstimo');
  });

  it('falls back to English when the language is missing or empty', () => {
    expect(label({ en: 'Rwanda', fr: 'Rwanda' }, 'pt')).toBe('Rwanda');
    expect(label({ en: 'Germany', es: '' }, 'es')).toBe('Germany');
  });

  // The sources translate unevenly (no Portuguese for countries, English only for currencies):
  // the UI must still show a name for everything, whichever of its languages the user reads.
  it('gives every name of the reference data in each UI language', () => {
    const names = sourcedNames();
    expect(names.length).toBeGreaterThan(1_000);
    for (const lang of LANGS) {
      const blank = names.filter(([, name]) => !label(name, lang).trim()).map(([what]) => what);
      expect(blank, lang).toEqual([]);
    }
  });
});
