import type { NeedSnapshot, OfferSnapshot } from '@mutirao/contracts';
import type { NeedContent, OfferContent, Posting } from './types';

function base(p: Posting) {
  return {
    id: p.id,
    revision: p.revision,
    ...(p.ref !== undefined ? { ref: p.ref } : {}),
    updatedAt: p.updatedAt.toISOString(),
    organisationId: p.organisationId,
    expiresAt: p.expiresAt.toISOString(),
    status: p.status,
    ...(p.closedBy !== undefined ? { closedBy: p.closedBy } : {}),
  };
}

/** The public snapshot of a need: what events carry and what everyone may see. */
export function needSnapshot(p: Posting<NeedContent>): NeedSnapshot {
  const { confidentialNotes: _, ...content } = p.content;
  return { ...base(p), ...content };
}

export function offerSnapshot(p: Posting<OfferContent>): OfferSnapshot {
  const { confidentialNotes: _, ...content } = p.content;
  return { ...base(p), ...content };
}

export function publicSnapshot(p: Posting): NeedSnapshot | OfferSnapshot {
  return p.kind === 'need'
    ? needSnapshot(p as Posting<NeedContent>)
    : offerSnapshot(p as Posting<OfferContent>);
}
