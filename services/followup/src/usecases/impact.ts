import { Modality, NeedType } from '@mutirao/contracts';
import { country } from '@mutirao/reference-data';
import { type Impact, impact } from '../domain/impact';
import type { PartnershipRepo } from '../store/partnerships';

/** The public figures of every partnership (read whole: a few thousand documents at most here). */
export async function publicImpact(deps: { repo: PartnershipRepo; now: () => Date }): Promise<Impact> {
  const list = await deps.repo.list({}, 100_000);
  return impact(
    list,
    (code) => country(code)?.region ?? undefined,
    { needTypes: NeedType.options, modalities: Modality.options },
    deps.now(),
  );
}
