import type { Labels } from './labels';
import { indexBy, lazy, readData } from './lazy';
import { SdgFile } from './schemas';
import { SDG_GOAL_NAMES_PT } from './translations';

export interface SdgGoal {
  number: number;
  /** Short name, e.g. 'Decent work and economic growth'; Portuguese is the project's own. */
  name: Labels;
  /** Full title, e.g. 'Promote sustained, inclusive and sustainable economic growth, …' (EN/FR/ES). */
  title: Labels;
}

export interface SdgTarget {
  /** '1.1', '1.a', '17.19'. */
  code: string;
  goal: number;
  name: Labels;
}

const data = lazy(() => {
  const file = readData('generated/sdg.json', SdgFile);
  const goals: readonly SdgGoal[] = Object.freeze(
    file.goals.map((goal) =>
      Object.freeze({ ...goal, name: Object.freeze({ ...goal.name, pt: SDG_GOAL_NAMES_PT[goal.number] }) }),
    ),
  );
  const targets: readonly SdgTarget[] = file.targets;
  return {
    goals,
    targets,
    goalByNumber: indexBy(goals, (g) => g.number),
    targetByCode: indexBy(targets, (t) => t.code),
  };
});

export function sdgGoal(n: number): SdgGoal | undefined {
  return data().goalByNumber.get(n);
}

export function sdgGoals(): readonly SdgGoal[] {
  return data().goals;
}

export function sdgTarget(code: string): SdgTarget | undefined {
  return data().targetByCode.get(code);
}

export function sdgTargets(): readonly SdgTarget[] {
  return data().targets;
}
