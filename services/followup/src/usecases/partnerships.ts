import { type Money, type NeedSnapshot, type ProposalSnapshot, uuidv7 } from '@mutirao/contracts';
import { DomainError, forbidden, notFound, untilSaved } from '@mutirao/kernel';
import { makeEvent } from '@mutirao/messaging';
import { type OutboxEntry, toEntry } from '@mutirao/outbox';
import { countries, countryInRegion } from '@mutirao/reference-data';
import type { Logger } from '@mutirao/telemetry';
import { canAct, canComment, canSee, isAdmin } from '../domain/access';
import {
  type Change,
  type Command,
  decide,
  dueAt,
  nextReminder,
  overdue,
  record,
  snapshot,
} from '../domain/partnership';
import type { Actor, Comment, Partnership, PartnershipStatus, Report } from '../domain/types';
import type { Catalog } from '../store/catalog';
import type { PartnershipRepo } from '../store/partnerships';

export const SOURCE = 'mutirao-followup';

export interface PartnershipDeps {
  repo: PartnershipRepo;
  catalog: Catalog;
  topic: string;
  now: () => Date;
  reportPeriods: number[];
  /** Days after a report falls due before the coordinator's queue lists it as late. */
  graceDays: number;
  logger: Logger;
  /** Called after each write that left events (wakes the relay, moves the reminder timer). */
  afterWrite: (nextReminderAt: Date | undefined) => void;
}

/** A party as the API shows it: the organisation's name and country where known. */
export interface PartyView {
  organisationId: string;
  role: string;
  name?: string;
  country?: string;
}

export interface PartnershipView {
  id: string;
  revision: number;
  needId: string;
  needTitle?: string;
  offerIds: string[];
  parties: PartyView[];
  triad: boolean;
  modality: string;
  needType: string;
  country: string;
  sectors: string[];
  sdgs: number[];
  amount?: Money;
  agreedAt: string;
  startDate: string;
  status: PartnershipStatus;
  reportPeriods: { period: number; dueAt: string; filed: string[]; missing: string[] }[];
  reports: (Omit<Report, 'filedAt' | 'updatedAt'> & { filedAt: string; updatedAt: string })[];
  comments: (Omit<Comment, 'at'> & { at: string })[];
}

export interface LateReport {
  partnershipId: string;
  organisationId: string;
  organisationName?: string;
  period: number;
  dueAt: string;
  daysLate: number;
  country: string;
}

/** Countries of any of a coordinator's regions. */
function countriesOf(regions: readonly string[]): string[] {
  return countries()
    .map((c) => c.code)
    .filter((code) => regions.some((r) => countryInRegion(code, r)));
}

export class PartnershipService {
  constructor(private readonly deps: PartnershipDeps) {}

  private entry(
    type: NonNullable<Change['event']> | 'recorded',
    p: Partnership,
    at: Date,
    period?: number,
  ): OutboxEntry {
    const base = { source: SOURCE, subject: p.id, time: at };
    const partnership = snapshot(p);
    const event =
      type === 'report-due'
        ? makeEvent({
            ...base,
            type: 'org.mutirao.followup.partnership.report-due',
            data: {
              partnership,
              period: period as number,
              dueAt: dueAt(p, period as number).toISOString(),
              organisationIds: p.parties
                .map((x) => x.organisationId)
                .filter((o) => !p.reports.some((r) => r.organisationId === o && r.period === period)),
            },
          })
        : makeEvent({ ...base, type: `org.mutirao.followup.partnership.${type}`, data: { partnership } });
    return toEntry(this.deps.topic, event);
  }

  /** An agreed proposal becomes a partnership, once: a replayed agreement changes nothing. */
  async recordAgreement(proposal: ProposalSnapshot): Promise<boolean> {
    if (proposal.status !== 'agreed') return false;
    if (await this.deps.repo.get(proposal.id)) return false;
    const now = this.deps.now();
    const need = await this.deps.catalog.need(proposal.needId);
    const orgs = await this.deps.catalog.organisations([
      proposal.needOrganisationId,
      ...proposal.offerOrganisationIds,
    ]);
    const p = record(proposal, {
      now,
      reportPeriods: this.deps.reportPeriods,
      ...(need
        ? {
            need: { sectors: need.sectors, sdgs: need.sdgs, ...(need.amount ? { amount: need.amount } : {}) },
          }
        : {}),
      countries: new Map([...orgs].map(([id, o]) => [id, o.country])),
    });
    const next = nextReminder(p)?.dueAt;
    const inserted = await this.deps.repo.insert(p, next, [this.entry('recorded', p, now)]);
    if (inserted) this.deps.afterWrite(next);
    return inserted;
  }

  /** Needs whose snapshot arrived after their partnership was recorded: their details fill it in. */
  async needsArrived(needs: readonly NeedSnapshot[]): Promise<number> {
    let n = 0;
    const newest = new Map<string, NeedSnapshot>();
    for (const x of needs) if ((newest.get(x.id)?.revision ?? 0) < x.revision) newest.set(x.id, x);
    for (const id of await this.deps.repo.waitingFor([...newest.keys()])) {
      const stored = await this.deps.repo.get(id);
      const need = stored ? newest.get(stored.partnership.needId) : undefined;
      if (!need) continue;
      const r = await this.execute(id, {
        type: 'details',
        need: { sectors: need.sectors, sdgs: need.sdgs, ...(need.amount ? { amount: need.amount } : {}) },
      });
      if (r) n++;
    }
    return n;
  }

  /** Load – decide – save, again while someone else wrote meanwhile. Returns the new state if it changed. */
  async execute(
    id: string,
    command: Command,
    check?: (p: Partnership) => void,
  ): Promise<Partnership | undefined> {
    return untilSaved(`Partnership ${id}`, async () => {
      const stored = await this.deps.repo.get(id);
      if (!stored) throw notFound(`No partnership ${id}.`);
      check?.(stored.partnership);
      const now = this.deps.now();
      const change = decide(stored.partnership, command, now);
      if (!change) return { saved: true, value: undefined };
      const events = change.event
        ? [this.entry(change.event, change.next, now, command.type === 'remind' ? command.period : undefined)]
        : [];
      const next = nextReminder(change.next)?.dueAt;
      if (!(await this.deps.repo.save(change.next, stored.version, next, events))) return { saved: false };
      this.deps.afterWrite(next);
      return { saved: true, value: change.next };
    });
  }

  private async load(actor: Actor, id: string): Promise<Partnership> {
    const stored = await this.deps.repo.get(id);
    if (!stored || !canSee(actor, stored.partnership)) throw notFound(`No partnership ${id}.`);
    return stored.partnership;
  }

  async get(actor: Actor, id: string): Promise<PartnershipView> {
    return (await this.views([await this.load(actor, id)]))[0] as PartnershipView;
  }

  async list(actor: Actor): Promise<PartnershipView[]> {
    let list: Partnership[];
    if (isAdmin(actor)) list = await this.deps.repo.list({});
    else if (actor.roles.includes('coordinator'))
      list = await this.deps.repo.list({ countries: countriesOf(actor.regions) });
    else if (actor.org) list = await this.deps.repo.list({ orgId: actor.org });
    else list = [];
    return this.views(list.filter((p) => canSee(actor, p)));
  }

  async update(
    actor: Actor,
    id: string,
    body: { status?: PartnershipStatus; startDate?: string; amount?: Money | null },
  ): Promise<PartnershipView> {
    await this.load(actor, id);
    const next = await this.execute(id, { type: 'update', ...body }, (p) => {
      if (!canAct(actor, p)) throw forbidden('Only the parties change a partnership.');
    });
    return next ? ((await this.views([next]))[0] as PartnershipView) : this.get(actor, id);
  }

  /** A party files (or amends) its own report for a period. */
  async fileReport(
    actor: Actor,
    id: string,
    period: number,
    body: Omit<Report, 'organisationId' | 'period' | 'by' | 'filedAt' | 'updatedAt'>,
    organisationId?: string,
  ): Promise<PartnershipView['reports'][number]> {
    await this.load(actor, id);
    const org = isAdmin(actor) ? organisationId : actor.org;
    if (!org)
      throw new DomainError('invalid', 'Say which party the report is for.', { path: 'organisationId' });
    if (!isAdmin(actor) && organisationId !== undefined && organisationId !== actor.org)
      throw forbidden('You report for your own organisation only.');
    await this.execute(
      id,
      { type: 'file-report', organisationId: org, period, by: actor.sub, report: body },
      (p) => {
        if (!canAct(actor, p)) throw forbidden('Only the parties report on a partnership.');
      },
    );
    const view = await this.get(actor, id);
    const report = view.reports.find((r) => r.organisationId === org && r.period === period);
    if (!report) throw new Error('report not stored');
    return report;
  }

  async comment(
    actor: Actor,
    id: string,
    body: { text: string; about?: { organisationId: string; period: number } },
  ): Promise<PartnershipView> {
    await this.load(actor, id);
    const comment = {
      id: uuidv7(),
      by: actor.sub,
      text: body.text,
      ...(body.about ? { about: body.about } : {}),
    };
    await this.execute(id, { type: 'comment', comment }, (p) => {
      if (!canComment(actor, p)) throw forbidden("Only the region's coordinators comment on a partnership.");
    });
    return this.get(actor, id);
  }

  /** Reports past their due date (and the grace days), for the coordinator's queue. */
  async late(actor: Actor): Promise<LateReport[]> {
    const list = isAdmin(actor)
      ? await this.deps.repo.list({})
      : await this.deps.repo.list({ countries: countriesOf(actor.regions) });
    const now = this.deps.now();
    const rows = list.flatMap((p) =>
      overdue(p, now, this.deps.graceDays).map((o) => ({
        partnershipId: p.id,
        organisationId: o.organisationId,
        period: o.period,
        dueAt: o.dueAt.toISOString(),
        daysLate: Math.floor((now.getTime() - o.dueAt.getTime()) / 86_400_000),
        country: p.country,
      })),
    );
    const names = await this.deps.catalog.organisations(rows.map((r) => r.organisationId));
    return rows
      .map((r) => {
        const name = names.get(r.organisationId)?.name;
        return name ? { ...r, organisationName: name } : r;
      })
      .sort((a, b) => b.daysLate - a.daysLate || a.partnershipId.localeCompare(b.partnershipId));
  }

  /** Publishes the reminders fallen due by `at`; returns how many partnerships it looked at. */
  async remind(at: Date): Promise<number> {
    const ids = await this.deps.repo.remindersDue(at);
    for (const id of ids) {
      // Every period fallen due by now is reminded, one event each, oldest first.
      for (;;) {
        const stored = await this.deps.repo.get(id);
        const next = stored ? nextReminder(stored.partnership) : undefined;
        if (!next || next.dueAt > at) break;
        await this.execute(id, { type: 'remind', period: next.period });
      }
    }
    return ids.length;
  }

  async views(list: readonly Partnership[]): Promise<PartnershipView[]> {
    const orgs = await this.deps.catalog.organisations(
      list.flatMap((p) => p.parties.map((x) => x.organisationId)),
    );
    const needs = await this.deps.catalog.needsById(list.map((p) => p.needId));
    return list.map((p) => {
      const title = needs.get(p.needId)?.title;
      return {
        id: p.id,
        revision: p.revision,
        needId: p.needId,
        ...(title ? { needTitle: title } : {}),
        offerIds: p.offerIds,
        parties: p.parties.map((x) => {
          const o = orgs.get(x.organisationId);
          const country = o?.country ?? x.country;
          return {
            organisationId: x.organisationId,
            role: x.role,
            ...(o ? { name: o.name } : {}),
            ...(country ? { country } : {}),
          };
        }),
        triad: p.triad,
        modality: p.modality,
        needType: p.needType,
        country: p.country,
        sectors: p.sectors,
        sdgs: p.sdgs,
        ...(p.amount ? { amount: p.amount } : {}),
        agreedAt: p.agreedAt.toISOString(),
        startDate: p.startDate,
        status: p.status,
        reportPeriods: p.reportPeriods.map((period) => {
          const filed = p.reports.filter((r) => r.period === period).map((r) => r.organisationId);
          return {
            period,
            dueAt: dueAt(p, period).toISOString(),
            filed,
            missing: p.parties.map((x) => x.organisationId).filter((o) => !filed.includes(o)),
          };
        }),
        reports: p.reports.map((r) => ({
          ...r,
          filedAt: r.filedAt.toISOString(),
          updatedAt: r.updatedAt.toISOString(),
        })),
        comments: p.comments.map((c) => ({ ...c, at: c.at.toISOString() })),
      };
    });
  }
}
