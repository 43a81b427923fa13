import { describe, expect, it } from 'vitest';
import { sdgGoal, sdgGoals, sdgTarget, sdgTargets } from './sdg';

describe('SDG goals', () => {
  it('names goal 8 in the four languages', () => {
    expect(sdgGoal(8)?.name).toEqual({
      en: 'Decent work and economic growth',
      fr: 'Travail décent et croissance économique',
      es: 'Trabajo decente y crecimiento económico',
      pt: 'Trabalho decente e crescimento econômico',
    });
    expect(sdgGoal(1)?.name.pt).toBe('Erradicação da pobreza');
  });

  it('gives the full title of a goal', () => {
    expect(sdgGoal(1)?.title.en).toBe('End poverty in all its forms everywhere');
    expect(sdgGoal(1)?.title.es).toBe('Poner fin a la pobreza en todas sus formas y en todo el mundo');
  });

  it('has the 17 goals in order, each with a non-empty Portuguese name', () => {
    expect(sdgGoals().map((g) => g.number)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    for (const goal of sdgGoals()) {
      expect(goal.name.pt?.trim(), `goal ${goal.number}`).toBeTruthy();
      expect(goal.name.fr && goal.name.es, `goal ${goal.number}`).toBeTruthy();
    }
  });

  it('returns undefined outside 1..17', () => {
    expect(sdgGoal(0)).toBeUndefined();
    expect(sdgGoal(18)).toBeUndefined();
    expect(sdgGoal(1.5)).toBeUndefined();
  });
});

describe('SDG targets', () => {
  it('knows numbered and lettered targets', () => {
    expect(sdgTarget('1.1')?.name.en).toMatch(/^By 2030, eradicate extreme poverty/);
    expect(sdgTarget('1.a')).toMatchObject({ code: '1.a', goal: 1 });
    expect(sdgTarget('17.19')).toMatchObject({ goal: 17 });
    expect(sdgTarget('17.19')?.name.fr).toMatch(/^D’ici à 2030/);
    expect(sdgTarget('17.19')?.name.es).toMatch(/^De aquí a 2030/);
  });

  it('has the 169 targets and no more', () => {
    expect(sdgTargets()).toHaveLength(169);
    expect(sdgTarget('1.8')).toBeUndefined();
    expect(sdgTarget('18.1')).toBeUndefined();
    expect(sdgTarget('1-1')).toBeUndefined();
  });
});
