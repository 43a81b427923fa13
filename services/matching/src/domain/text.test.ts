import { describe, expect, it } from 'vitest';
import { cosine, fold, sharedWords, stems, termSet } from './text';

describe('text similarity', () => {
  it('folds accents and case', () => {
    expect(fold('Formação Técnica ÉCONOMIE')).toBe('formacao tecnica economie');
  });

  it('drops the stop words of the posting’s language and very short words', () => {
    expect(stems('Nous cherchons un prêt pour les maraîchers', 'fr')).toEqual(['pret', 'maraic']);
    expect(stems('We are looking for a loan for the growers', 'en')).toEqual(['loan', 'grower']);
  });

  it('conflates inflections and cognates across the working languages', () => {
    const a = termSet('sistemas agroforestales, restauración', 'es');
    const b = termSet('agroforestry systems and restoration', 'en');
    expect(cosine(a, b)).toBeGreaterThan(0);
    expect(sharedWords('sistemas agroforestales', 'es', 'agroforestry', 'en')).toEqual(['agroforestales']);
  });

  it('names the shared words in the need’s order, whichever need was explained just before', () => {
    const need = 'Solar pumps for irrigation; solar training';
    expect(sharedWords(need, 'en', 'irrigation and solar kits', 'en')).toEqual(['solar', 'irrigation']);
    expect(sharedWords(need, 'en', 'training', 'en')).toEqual(['training']);
    expect(sharedWords('Irrigação solar', 'pt', 'irrigation and solar kits', 'en')).toEqual([
      'irrigacao',
      'solar',
    ]);
    expect(sharedWords(need, 'en', 'pumps', 'en')).toEqual(['pumps']);
    expect(sharedWords(need, 'pt', 'pumps', 'en')).toEqual(['pumps']);
  });

  it('ranks a text on the same subject above an unrelated one', () => {
    const need = termSet('Solar water pumping for kitchen gardens and irrigation', 'en');
    const pumps = termSet('Small solar pumping kits for gardens and drip irrigation', 'en');
    const tourism = termSet('Community homestay partnerships for trekking programmes', 'en');
    expect(cosine(need, pumps)).toBeGreaterThan(cosine(need, tourism));
    expect(cosine(need, need)).toBeCloseTo(1);
    expect(cosine(need, termSet('', 'en'))).toBe(0);
  });
});
