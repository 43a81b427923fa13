import {
  EXCHANGE_FORMAT,
  type ExchangeFile,
  type FileNeed,
  type FileOffer,
  type FileOrganisation,
  type FileProposal,
  type NeedSnapshot,
  type OfferSnapshot,
  type OrganisationSnapshot,
  type ProposalSnapshot,
} from '@mutirao/contracts';
import { ApiError, type Client, progress } from './client';
import { type Problem, validateFile } from './validate';

export type Outcome = 'created' | 'updated' | 'unchanged';
export type Summary = Record<'organisations' | 'needs' | 'offers', Record<Outcome, number>>;

export class InvalidFile extends Error {
  constructor(readonly problems: Problem[]) {
    super(
      `The file is not a valid ${EXCHANGE_FORMAT} document: ${problems.length} problem(s); nothing was stored.`,
    );
  }
}

const emptyCounts = (): Record<Outcome, number> => ({ created: 0, updated: 0, unchanged: 0 });
const dateTime = (d: string) => (d.length === 10 ? `${d}T23:59:59Z` : d);

/** Items per import request: large enough that the system, not the round trips, sets the pace. */
export const CHUNK = 500;

const chunks = <T>(items: readonly T[], size = CHUNK): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

type ImportAnswer = { results: { ref: string; id: string; result: Outcome }[] };

/**
 * Imports a whole file through the public APIs, as the admin. The file is validated in full
 * first, so a bad file stores nothing; then organisations, offers and needs are upserted by their
 * `ref` in chunks of `CHUNK` (each chunk all-or-nothing on the service's side), so importing the
 * same file again changes nothing. Offers come before needs: each need is then ranked once, against
 * every offer of the file, instead of again as each later offer arrives.
 */
export async function importFile(client: Client, json: unknown, quiet = false): Promise<Summary> {
  const v = validateFile(json);
  if (!v.ok) throw new InvalidFile(v.problems);
  const file = v.file;
  const summary: Summary = { organisations: emptyCounts(), needs: emptyCounts(), offers: emptyCounts() };
  const total = file.organisations.length + file.needs.length + file.offers.length;
  const bar = quiet ? { tick() {} } : progress('importing', total);
  const orgIds = new Map<string, string>();

  for (const chunk of chunks(file.organisations)) {
    const out = await client.call<ImportAnswer>('POST', '/api/profiles/organisations/import', {
      items: chunk,
    });
    for (const r of out.results) {
      orgIds.set(r.ref, r.id);
      summary.organisations[r.result]++;
    }
    bar.tick(chunk.length);
  }
  // Postings of organisations the file does not mark verified come in as drafts: only verified
  // organisations publish.
  const verified = new Set(file.organisations.filter((o) => o.verified).map((o) => o.ref));
  const statusOf = (orgRef: string) => (verified.has(orgRef) ? 'open' : 'draft');
  const orgOf = (ref: string): string => {
    const id = orgIds.get(ref);
    if (!id) throw new Error(`organisation ${ref} was not imported`);
    return id;
  };
  const posting = <T extends { organisation: string; expiresAt: string; status?: unknown }>(p: T) => {
    const { organisation, expiresAt, status: _status, ...fields } = p;
    return {
      ...fields,
      organisationId: orgOf(organisation),
      expiresAt: dateTime(expiresAt),
      status: statusOf(organisation),
    };
  };
  for (const [kind, items] of [
    ['offers', file.offers],
    ['needs', file.needs],
  ] as const) {
    for (const chunk of chunks<FileNeed | FileOffer>(items)) {
      await keepPace(client);
      const out = await untilKnown(() =>
        client.call<ImportAnswer>('POST', `/api/exchange/${kind}/import`, { items: chunk.map(posting) }),
      );
      for (const r of out.results) summary[kind][r.result]++;
      bar.tick(chunk.length);
    }
  }
  return summary;
}

/** The most work matching may have waiting before the importer waits for it (see `keepPace`). */
export const MAX_BACKLOG = 3 * CHUNK;

/**
 * Waits while matching is more than `MAX_BACKLOG` events or needs behind. Postings go in faster
 * than matching ranks them; without a bound the backlog grows for the whole import (needs would
 * then also meet offers still in that backlog, and be ranked again as each arrives). A system
 * without the progress endpoint is not waited for.
 */
async function keepPace(client: Client, maxBacklog = MAX_BACKLOG): Promise<void> {
  for (let delay = 50; ; delay = Math.min(delay * 2, 1_000)) {
    let p: { eventsWaiting?: number; needsWaiting?: number };
    try {
      p = await client.call('GET', '/api/matching/progress');
    } catch {
      return;
    }
    if ((p.eventsWaiting ?? 0) + (p.needsWaiting ?? 0) <= maxBacklog) return;
    await new Promise((r) => setTimeout(r, delay));
  }
}

/**
 * The exchange learns of organisations from their events, a few milliseconds after profiles
 * stored them: until then it refuses to publish for them. Retried for a while, not forever.
 */
async function untilKnown<T>(call: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const t0 = Date.now();
  for (let delay = 100; ; delay = Math.min(delay * 2, 2_000)) {
    try {
      return await call();
    } catch (err) {
      const waiting =
        err instanceof ApiError && (err.status === 403 || err.status === 404) && Date.now() - t0 < timeoutMs;
      if (!waiting) throw err;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/**
 * Returns once matching has processed every event published before the call: the services have
 * no event left in their outboxes and matching's consumer group has reached the topics' ends.
 */
export async function waitForMatching(client: Client, timeoutMs = 120_000, pollMs = 500): Promise<number> {
  const t0 = Date.now();
  let streak = 0;
  while (Date.now() - t0 < timeoutMs) {
    const p = await client.call<{ caughtUp: boolean }>('GET', '/api/matching/progress');
    // Twice in a row: a relay may publish right after the first look.
    streak = p.caughtUp ? streak + 1 : 0;
    if (streak >= 2) return Date.now() - t0;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  throw new Error(
    `Matching has not caught up after ${Math.round(timeoutMs / 1000)} s; it may still be working, or stopped (check its log).`,
  );
}

async function allPages<T>(client: Client, path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null | undefined;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page = await client.call<{ items: T[]; nextCursor?: string | null }>(
      'GET',
      `${path}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

type OrganisationView = OrganisationSnapshot & { contact?: FileOrganisation['contact'] };
type PostingView<T> = T & { ref?: string };

/** The current state, proposals included, in the exchange-file format, with refs as imported. */
export async function exportFile(client: Client): Promise<ExchangeFile & { proposals: FileProposal[] }> {
  const orgs = await allPages<OrganisationView>(client, '/api/profiles/organisations');
  const needs: PostingView<NeedSnapshot>[] = [];
  const offers: PostingView<OfferSnapshot>[] = [];
  for (const status of ['draft', 'open', 'matched', 'closed', 'withdrawn', 'expired']) {
    needs.push(
      ...(await allPages<PostingView<NeedSnapshot>>(client, `/api/exchange/needs?status=${status}`)),
    );
    offers.push(
      ...(await allPages<PostingView<OfferSnapshot>>(client, `/api/exchange/offers?status=${status}`)),
    );
  }
  const proposals = (
    await client.call<{ items: ProposalSnapshot[] }>('GET', '/api/matching/export/proposals')
  ).items;

  const orgRef = new Map(orgs.map((o) => [o.id, o.ref ?? o.id]));
  const needRef = new Map(needs.map((n) => [n.id, n.ref ?? n.id]));
  const offerRef = new Map(offers.map((o) => [o.id, o.ref ?? o.id]));
  const ref = (m: Map<string, string>, id: string) => m.get(id) ?? id;

  return {
    format: EXCHANGE_FORMAT,
    organisations: orgs.map(
      (o): FileOrganisation => ({
        ref: o.ref ?? o.id,
        name: o.name,
        kind: o.kind,
        ...(o.sseForm ? { sseForm: o.sseForm } : {}),
        ...(o.informal !== undefined ? { informal: o.informal } : {}),
        country: o.country,
        languages: o.languages,
        sectors: o.sectors,
        description: o.description,
        verified: o.verification === 'verified',
        ...(o.contact ? { contact: o.contact } : {}),
      }),
    ),
    needs: needs.map(
      (n): FileNeed => ({
        ref: n.ref ?? n.id,
        organisation: ref(orgRef, n.organisationId),
        type: n.type,
        title: n.title,
        description: n.description,
        language: n.language,
        workingLanguages: n.workingLanguages,
        sectors: n.sectors,
        sdgs: n.sdgs,
        ...(n.amount ? { amount: n.amount } : {}),
        fundingRequired: n.fundingRequired,
        countriesOfInterest: n.countriesOfInterest,
        expiresAt: n.expiresAt,
        status: n.status,
      }),
    ),
    offers: offers.map(
      (o): FileOffer => ({
        ref: o.ref ?? o.id,
        organisation: ref(orgRef, o.organisationId),
        types: o.types,
        instrument: o.instrument,
        title: o.title,
        description: o.description,
        language: o.language,
        workingLanguages: o.workingLanguages,
        sectors: o.sectors,
        sdgs: o.sdgs,
        eligibility: o.eligibility,
        priorities: o.priorities,
        ...(o.amount ? { amount: o.amount } : {}),
        modalities: o.modalities,
        capacity: o.capacity,
        ...(o.call ? { call: o.call } : {}),
        expiresAt: o.expiresAt,
        status: o.status,
      }),
    ),
    // The explanation as matching wrote it: its sentences as codes with their parameters, and the
    // same in English (`summary`, each line's `text`).
    proposals: proposals.map(
      (p): FileProposal => ({
        id: p.id,
        need: ref(needRef, p.needId),
        offers: p.offerIds.map((id) => ref(offerRef, id)),
        modality: p.modality,
        score: p.score,
        rank: p.rank,
        status: p.status,
        explanation: p.explanation,
      }),
    ),
  };
}

export { ApiError };
