import { DomainError } from '@mutirao/kernel';
import { describe, expect, it } from 'vitest';
import { anOrganisation } from './factories';
import { CRITERIA, type Organisation } from './organisation';
import { answerQuestion, askForInformation, openQuestion, recordCriterion, verify } from './verification';

const t0 = new Date('2026-03-01T09:00:00Z');
const t1 = new Date('2026-03-02T09:00:00Z');
const refusal = (f: () => unknown): DomainError => {
  try {
    f();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
};

describe('asking an organisation for information during its review', () => {
  const org = anOrganisation();
  const member = { id: 'm1', org: org.id };

  it('puts the question on the review, without a public event; the organisation answers it beside', () => {
    const asked = askForInformation(org, '  Send the minutes of your last general assembly.  ', 'coord', t0);
    expect(asked.event).toBeUndefined();
    expect(asked.next.revision).toBe(org.revision);
    expect(asked.next.version).toBe(org.version + 1);
    expect(openQuestion(asked.next)).toEqual({
      question: 'Send the minutes of your last general assembly.',
      by: 'coord',
      at: t0,
    });
    const answered = answerQuestion(asked.next, member, ' They are online at our site. ', t1);
    expect(answered.event).toBeUndefined();
    expect(answered.next.verification.status).toBe('pending');
    expect(answered.next.verification.questions).toEqual([
      {
        question: 'Send the minutes of your last general assembly.',
        by: 'coord',
        at: t0,
        answer: { text: 'They are online at our site.', by: 'm1', at: t1 },
      },
    ]);
    expect(openQuestion(answered.next)).toBeUndefined();
  });

  it('refuses an empty question, and questions once decided', () => {
    expect(refusal(() => askForInformation(org, ' ', 'c', t0))).toMatchObject({
      kind: 'invalid',
      path: 'question',
    });
    const verified = CRITERIA.reduce(
      (o: Organisation, criterion) => recordCriterion(o, { criterion, met: true, note: 'ok' }, 'c', t0).next,
      org,
    );
    const done = verify(verified, '', 'c', t0).next;
    expect(refusal(() => askForInformation(done, 'Why?', 'c', t0)).kind).toBe('conflict');
  });

  it('lets only the organisation’s members answer, once, with words', () => {
    const asked = askForInformation(org, 'Who sits on the board?', 'coord', t0).next;
    expect(refusal(() => answerQuestion(asked, { id: 'x', org: 'another' }, 'Me', t1)).kind).toBe(
      'forbidden',
    );
    expect(refusal(() => answerQuestion(asked, { id: 'staff' }, 'Me', t1)).kind).toBe('forbidden');
    expect(refusal(() => answerQuestion(asked, member, '  ', t1))).toMatchObject({
      kind: 'invalid',
      path: 'text',
    });
    const answered = answerQuestion(asked, member, 'Five elected members.', t1).next;
    expect(refusal(() => answerQuestion(answered, member, 'And more', t1)).kind).toBe('conflict');
    expect(refusal(() => answerQuestion(org, member, 'Unasked', t1)).kind).toBe('conflict');
  });

  it('keeps the whole history through further questions and the decision', () => {
    let o = askForInformation(org, 'First?', 'c', t0).next;
    o = answerQuestion(o, member, 'One', t1).next;
    o = askForInformation(o, 'Second?', 'c', t1).next;
    o = answerQuestion(o, member, 'Two', t1).next;
    o = CRITERIA.reduce(
      (x: Organisation, criterion) => recordCriterion(x, { criterion, met: true, note: 'ok' }, 'c', t1).next,
      o,
    );
    const verified = verify(o, '', 'c', t1).next;
    expect(verified.verification.questions?.map((q) => [q.question, q.answer?.text])).toEqual([
      ['First?', 'One'],
      ['Second?', 'Two'],
    ]);
  });
});
