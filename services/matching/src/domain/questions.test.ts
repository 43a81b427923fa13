import type { ProposalSnapshot } from '@mutirao/contracts';
import { DomainError } from '@mutirao/kernel';
import { describe, expect, it } from 'vitest';
import { expire, inform, isOpen, openQuestion, review, wasAsked } from './proposal';

function refusalOf(command: () => unknown): DomainError {
  try {
    command();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('the command was not refused');
}

const t0 = new Date('2026-11-28T10:00:00Z');
const t1 = new Date('2026-11-29T10:00:00Z');
const aProposal = (over: Partial<ProposalSnapshot> = {}): ProposalSnapshot => ({
  id: 'p1',
  revision: 1,
  updatedAt: '2026-11-27T00:00:00Z',
  needId: 'n1',
  offerIds: ['o1'],
  needOrganisationId: 'A',
  offerOrganisationIds: ['B'],
  needType: 'technology',
  needCountry: 'GW',
  modality: 'south-south',
  score: 0.7,
  rank: 1,
  status: 'proposed',
  explanation: { summary: 's', rules: [], criteria: [] },
  consents: {},
  ...over,
});

const ask = (p: ProposalSnapshot, note: string, to?: string, at = t0) =>
  review(p, { decision: 'info-requested', by: 'coord', note, ...(to ? { to } : {}) }, at);

describe('asking a party for information', () => {
  it('puts the question on the proposal, for the need’s organisation unless another party is named', () => {
    const asked = ask(aProposal(), '  What is the budget?  ');
    expect(asked.event).toBe('info-requested');
    expect(asked.next.status).toBe('info-requested');
    expect(asked.next.questions).toEqual([
      { question: 'What is the budget?', to: 'A', by: 'coord', at: t0.toISOString() },
    ]);
    expect(ask(aProposal(), 'When can you start?', 'B').next.questions?.[0]?.to).toBe('B');
  });

  it('refuses a question without words, or for an organisation that is no party', () => {
    expect(refusalOf(() => ask(aProposal(), '   '))).toMatchObject({ kind: 'invalid', path: 'note' });
    expect(refusalOf(() => ask(aProposal(), 'Why?', 'Z'))).toMatchObject({ kind: 'invalid', path: 'to' });
    expect(
      refusalOf(() => review(aProposal(), { decision: 'approved', by: 'c', to: 'A' }, t0)),
    ).toMatchObject({ kind: 'invalid', path: 'to' });
  });
});

describe('answering a question', () => {
  const asked = ask(aProposal(), 'What is the budget?').next;

  it('records the asked party’s answer beside the question and returns the proposal to the coordinators', () => {
    const answered = inform(asked, 'A', 'member-a', ' 12 000 USD ', t1);
    expect(answered.event).toBe('info-provided');
    expect(answered.next).toMatchObject({ status: 'info-provided', revision: asked.revision + 1 });
    expect(answered.next.questions).toEqual([
      {
        question: 'What is the budget?',
        to: 'A',
        by: 'coord',
        at: t0.toISOString(),
        answer: { text: '12 000 USD', by: 'member-a', at: t1.toISOString() },
      },
    ]);
    expect(openQuestion(answered.next)).toBeUndefined();
    expect(isOpen('info-provided')).toBe(true);
  });

  it('refuses another party (forbidden), a second answer (conflict) and an empty one (invalid)', () => {
    expect(refusalOf(() => inform(asked, 'B', 'member-b', 'x', t1)).kind).toBe('forbidden');
    expect(refusalOf(() => inform(asked, 'Z', 'someone', 'x', t1)).kind).toBe('forbidden');
    expect(refusalOf(() => inform(asked, 'A', 'member-a', '  ', t1))).toMatchObject({
      kind: 'invalid',
      path: 'text',
    });
    const answered = inform(asked, 'A', 'member-a', 'Yes', t1).next;
    expect(refusalOf(() => inform(answered, 'A', 'member-a', 'Again', t1)).kind).toBe('conflict');
  });

  it('keeps the whole history when the coordinator asks again, then decides', () => {
    const first = inform(asked, 'A', 'member-a', '12 000 USD', t1).next;
    expect(wasAsked(first, 'A')).toBe(true);
    expect(wasAsked(first, 'B')).toBe(false);
    const again = ask(first, 'And the timeline?', 'B', t1).next;
    expect(openQuestion(again)?.to).toBe('B');
    // The first party answered already: the open question is not theirs.
    expect(refusalOf(() => inform(again, 'A', 'member-a', 'x', t1)).kind).toBe('forbidden');
    const second = inform(again, 'B', 'member-b', 'Next month', t1).next;
    const approved = review(second, { decision: 'approved', by: 'coord' }, t1).next;
    expect(approved.status).toBe('approved');
    expect(approved.questions?.map((q) => [q.question, q.answer?.text])).toEqual([
      ['What is the budget?', '12 000 USD'],
      ['And the timeline?', 'Next month'],
    ]);
  });

  it('accepts no answer once the proposal expired', () => {
    const expired = expire(asked, t1)?.next as ProposalSnapshot;
    expect(refusalOf(() => inform(expired, 'A', 'member-a', 'x', t1)).kind).toBe('conflict');
  });
});
