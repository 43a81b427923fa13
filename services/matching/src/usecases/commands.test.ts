import type { CommandReplyData } from '@mutirao/contracts';
import type { Principal } from '@mutirao/http';
import { DomainError } from '@mutirao/kernel';
import { createLogger } from '@mutirao/telemetry';
import { describe, expect, it } from 'vitest';
import { type CommandBus, ProposalCommands, type RoutedCommand } from './commands';
import { Consent } from './consent';
import { everyNeed, type Ownership } from './ownership';
import { Review } from './review';
import { aProposal, MemoryProposals } from './testing/memory-proposals';
import { ProposalTransitions } from './transitions';

const NOW = new Date('2026-11-28T10:00:00Z');
const logger = createLogger('commands-test', 'silent');
const admin: Principal = { sub: 'root', roles: ['admin'], regions: [] };
const member = (org: string): Principal => ({ sub: `m-${org}`, org, roles: ['member'], regions: [] });

/** Two instances' worth of use cases over one store: `here` owns the needs `owned` says. */
function instance(store: MemoryProposals, owned: (needId: string) => boolean, bus?: CommandBus) {
  const transitions = new ProposalTransitions({ proposals: store.store, topic: 'proposals', wake: () => {} });
  const deps = { proposals: store.store, transitions, now: () => NOW };
  const ownership: Ownership = { owns: owned, work: (fn) => fn() };
  return new ProposalCommands({
    review: new Review(deps),
    consent: new Consent(deps),
    proposals: store.store,
    ownership,
    logger,
    timeoutMs: 200,
    ...(bus ? { bus } : {}),
  });
}

/** A bus between two instances in one process: what Kafka carries in the service. */
function wire() {
  const sent: RoutedCommand[] = [];
  const replies: CommandReplyData[] = [];
  let owner: ProposalCommands | undefined;
  let sender: ProposalCommands | undefined;
  let deliver = true;
  const bus: CommandBus = {
    replyTo: 'sender-1',
    send: async (c) => {
      sent.push(c);
      if (deliver) await owner?.execute(c);
    },
    reply: async (r) => {
      replies.push(r);
      sender?.settle(r);
    },
  };
  return {
    bus,
    sent,
    replies,
    connect(o: ProposalCommands, s: ProposalCommands) {
      owner = o;
      sender = s;
    },
    drop() {
      deliver = false;
    },
  };
}

describe('commands on a proposal', () => {
  it('are applied here with one instance, as the use cases answer', async () => {
    const store = new MemoryProposals().put(aProposal({ id: 'p1' }));
    const commands = instance(store, everyNeed.owns);
    expect(await commands.review(admin, 'p1', { decision: 'approved' })).toMatchObject({
      status: 'approved',
      revision: 2,
    });
    await expect(commands.review(admin, 'nope', { decision: 'approved' })).rejects.toMatchObject({
      kind: 'not-found',
    });
  });

  it("go to the need's owner when it is another instance, and its answer comes back", async () => {
    const store = new MemoryProposals().put(aProposal({ id: 'p1', needId: 'n1' }));
    const w = wire();
    const sender = instance(store, () => false, w.bus);
    const owner = instance(store, (needId) => needId === 'n1', w.bus);
    w.connect(owner, sender);

    const approved = await sender.review(admin, 'p1', { decision: 'approved', note: 'fine' });
    expect(approved).toMatchObject({ status: 'approved', revision: 2, review: { by: 'root', note: 'fine' } });
    expect(w.sent).toEqual([
      {
        type: 'org.mutirao.matching.command.review',
        data: expect.objectContaining({
          needId: 'n1',
          proposalId: 'p1',
          replyTo: 'sender-1',
          decision: 'approved',
        }),
      },
    ]);
    // Written once, by the owner; the sender's lists see it at once.
    expect(store.saved.map((p) => p.revision)).toEqual([2]);
    expect(store.observed.map((p) => p.status)).toEqual(['approved']);

    // A refusal at the owner is the same refusal at the sender.
    const again = sender.review(admin, 'p1', { decision: 'approved' });
    await expect(again).rejects.toBeInstanceOf(DomainError);
    await expect(again).rejects.toMatchObject({ kind: 'conflict' });
    await expect(sender.answer(member('org-xx'), 'p1', 'accept')).rejects.toMatchObject({
      kind: 'not-found',
    });
    expect((await sender.answer(member('org-gw'), 'p1', 'accept')).status).toBe('accepted');
  });

  it('carry a question to a chosen party and its answer to the owner, refusals included', async () => {
    const store = new MemoryProposals().put(aProposal({ id: 'p1', needId: 'n1' }));
    const w = wire();
    const sender = instance(store, () => false, w.bus);
    const owner = instance(store, (needId) => needId === 'n1', w.bus);
    w.connect(owner, sender);
    const party = 'org-rw';
    const asked = await sender.review(admin, 'p1', { decision: 'info-requested', note: 'When?', to: party });
    expect(asked.questions).toEqual([expect.objectContaining({ question: 'When?', to: party })]);
    expect(w.sent.at(-1)).toMatchObject({ data: { decision: 'info-requested', note: 'When?', to: party } });
    await expect(sender.inform(member('org-gw'), 'p1', 'Now')).rejects.toMatchObject({ kind: 'not-found' });
    const answered = await sender.inform(member(party), 'p1', 'In March');
    expect(w.sent.at(-1)).toMatchObject({
      type: 'org.mutirao.matching.command.inform',
      data: { text: 'In March', needId: 'n1' },
    });
    expect(answered).toMatchObject({
      status: 'info-provided',
      questions: [{ answer: { text: 'In March' } }],
    });
    expect(store.saved.map((p) => p.status)).toEqual(['info-requested', 'info-provided']);
  });

  it('answer 503 when the owner does not answer in time', async () => {
    const store = new MemoryProposals().put(aProposal({ id: 'p1', needId: 'n1' }));
    const w = wire();
    const sender = instance(store, () => false, w.bus);
    w.connect(
      instance(store, () => true, w.bus),
      sender,
    );
    w.drop();
    await expect(sender.review(admin, 'p1', { decision: 'approved' })).rejects.toMatchObject({
      kind: 'unavailable',
      retryAfterSeconds: 2,
    });
    expect(store.saved).toEqual([]);
  });

  it('are not applied by an instance that does not own the need (any more)', async () => {
    const store = new MemoryProposals().put(aProposal({ id: 'p1', needId: 'n1' }));
    const w = wire();
    const notOwner = instance(store, () => false, w.bus);
    const command: RoutedCommand = {
      type: 'org.mutirao.matching.command.review',
      data: {
        commandId: 'c1',
        replyTo: 'x',
        needId: 'n1',
        proposalId: 'p1',
        caller: { sub: 'root', roles: ['admin'], regions: [] },
        decision: 'approved',
      },
    };
    expect(await notOwner.execute(command)).toBe(false);
    expect(store.saved).toEqual([]);
    expect(w.replies).toEqual([]);
  });
});
