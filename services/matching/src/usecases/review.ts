import type { Modality, NeedType, ProposalSnapshot, ProposalStatus } from '@mutirao/contracts';
import { assertCoordinatorFor, coordinates, type Principal } from '@mutirao/http';
import { type Clock, decodeCursor, encodeCursor, invalid, notFound, type Page } from '@mutirao/kernel';
import { countryInRegion } from '@mutirao/reference-data';
import { z } from 'zod';
import { type ReviewCommand, review, UNDER_REVIEW } from '../domain/proposal';
import type { ProposalStore } from '../store/proposals';
import type { Learning } from './learning';
import type { ListedProposal } from './proposals';
import type { ProposalTransitions } from './transitions';

export interface ReviewDeps {
  proposals: ProposalStore;
  transitions: ProposalTransitions;
  now: Clock;
  /** Keeps each approval and rejection to learn from. */
  learning?: Learning;
}

export interface QueueQuery {
  /** Those under review (proposed, info-requested, info-provided) unless said otherwise. */
  status?: readonly ProposalStatus[];
  /** An M49 region, sub-region or intermediate region the need's country lies in. */
  region?: string;
  modality?: Modality;
  type?: NeedType;
  /** A call's round id: its proposals only. */
  round?: string;
  sort: 'score' | 'age';
  cursor?: string;
  limit: number;
}

/** Where a page ended: the sort it belongs to, then the score, creation time and id of the last item. */
const Position = z.tuple([z.enum(['score', 'age']), z.number(), z.string(), z.string()]);

function decodePosition(cursor: string, sort: QueueQuery['sort']) {
  const [of, score, createdAt, id] = decodeCursor(Position, cursor);
  if (of !== sort) throw invalid('cursor is not one this list gave out for this sort order', 'cursor');
  return { score, createdAt, id };
}

/** The coordinators' side: the review queue of their regions, and their decisions. */
export class Review {
  constructor(private readonly deps: ReviewDeps) {}

  /**
   * The proposals of needs in the caller's regions (every region for the admin), within `region`
   * when given, best or oldest first, a page at a time.
   */
  async queue(p: Principal, q: QueueQuery): Promise<Page<ListedProposal>> {
    // Many proposals share a country: each is looked up once per request.
    const covered = new Map<string, boolean>();
    const needCountry = (country: string): boolean => {
      let ok = covered.get(country);
      if (ok === undefined) {
        ok =
          (q.region === undefined || countryInRegion(country, q.region)) &&
          coordinates(p, country, countryInRegion);
        covered.set(country, ok);
      }
      return ok;
    };
    const found = await this.deps.proposals.page({
      statuses: q.status ?? UNDER_REVIEW,
      needCountry,
      ...(q.modality !== undefined ? { modality: q.modality } : {}),
      ...(q.type !== undefined ? { needType: q.type } : {}),
      ...(q.round !== undefined ? { round: q.round } : {}),
      sort: q.sort,
      ...(q.cursor ? { after: decodePosition(q.cursor, q.sort) } : {}),
      limit: q.limit,
    });
    const next = found.next;
    return {
      items: found.items,
      nextCursor: next ? encodeCursor([q.sort, next.score, next.createdAt, next.id]) : null,
    };
  }

  /** A coordinator of the need's region (or the admin) approves, rejects or asks for more. */
  async decide(p: Principal, id: string, cmd: Omit<ReviewCommand, 'by'>): Promise<ProposalSnapshot> {
    const current = await this.deps.proposals.get(id);
    if (!current) throw notFound('No such proposal.');
    assertCoordinatorFor(p, current.needCountry, countryInRegion);
    const saved = await this.deps.transitions.apply(id, (cur) =>
      review(cur, { ...cmd, by: p.sub }, this.deps.now()),
    );
    if (!saved) throw notFound('No such proposal.');
    if (cmd.decision === 'approved' || cmd.decision === 'rejected')
      await this.deps.learning?.record(saved, cmd.decision, cmd.reason ? { reason: cmd.reason } : {});
    return saved;
  }
}
