import { DomainError } from '@mutirao/kernel';
import { describe, expect, it } from 'vitest';
import { anOrganisation, someFields } from './factories';
import { importByRef, judgedChanges, register, update } from './lifecycle';
import type { Change, Organisation, OrganisationFields, Outcome } from './organisation';

const at = new Date('2026-02-01T10:00:00Z');
const change = (o: Outcome): Change => {
  if (typeof o !== 'object' || !('next' in o)) throw new Error(`expected a change, got ${JSON.stringify(o)}`);
  return o;
};
const verified = (o: Partial<Organisation> = {}) =>
  anOrganisation({
    verification: {
      status: 'verified',
      criteria: [],
      decision: { status: 'verified', note: '', by: 'c', at },
    },
    ...o,
  });

describe('register', () => {
  it('starts pending at revision 1 with a registered event', () => {
    const c = change(register('o1', someFields(), at));
    expect(c.event).toBe('org.mutirao.profiles.organisation.registered');
    expect(c.next).toMatchObject({ id: 'o1', revision: 1, version: 1, verification: { status: 'pending' } });
  });
});

describe('update', () => {
  it('changes nothing when the fields are the same', () => {
    expect(update(anOrganisation(), someFields(), 'm', at)).toBe('unchanged');
  });

  it('bumps the revision by one with an updated event', () => {
    const c = change(
      update(anOrganisation({ revision: 3, version: 7 }), someFields({ name: 'Nova' }), 'm', at),
    );
    expect(c.event).toBe('org.mutirao.profiles.organisation.updated');
    expect(c.next).toMatchObject({ name: 'Nova', revision: 4, version: 8, updatedAt: at });
  });

  it('drops an optional field the new fields leave out', () => {
    const { sseForm: _, ...partner } = someFields({ kind: 'network', informal: true });
    const c = change(update(anOrganisation({ informal: true }), partner, 'm', at));
    expect(c.next.kind).toBe('network');
    expect(c.next).not.toHaveProperty('sseForm');
  });

  it('keeps a verification when the edit does not touch what was judged: an updated event', () => {
    const edits: Partial<OrganisationFields>[] = [
      { description: 'mais' },
      { contact: { email: 'nova@esperanca.example', phone: '+258 21 000 000' } },
      { languages: ['pt', 'en'] },
      { sectors: ['31161', '31120'] },
      { informal: false },
    ];
    for (const edit of edits) {
      const c = change(update(verified(), someFields(edit), 'm', at));
      expect(c.event, JSON.stringify(edit)).toBe('org.mutirao.profiles.organisation.updated');
      expect(c.next.verification.status, JSON.stringify(edit)).toBe('verified');
    }
  });

  it('reopens a verified organisation that changes a judged field: pending, criteria cleared, the fields named', () => {
    const edits: [Partial<OrganisationFields>, string][] = [
      [{ name: 'Outra Cooperativa' }, 'name'],
      [{ kind: 'network', sseForm: undefined }, 'kind, sseForm'],
      [{ sseForm: 'association' }, 'sseForm'],
      [{ informal: true }, 'informal'],
      [{ country: 'AO' }, 'country'],
      [{ country: 'AO', description: 'mudou-se' }, 'country'],
    ];
    const criteria = [{ criterion: 'voluntary-cooperation' as const, met: true, note: 'x', by: 'c', at }];
    for (const [edit, named] of edits) {
      const prev = verified({ revision: 4 });
      prev.verification.criteria = criteria;
      const c = change(update(prev, someFields(edit), 'm', at));
      expect(c.event).toBe('org.mutirao.profiles.organisation.verification-reopened');
      expect(c.next.revision).toBe(5);
      expect(c.next.verification).toEqual({
        status: 'pending',
        criteria: [],
        decision: { status: 'pending', note: `changed: ${named}`, by: 'm', at, changed: named.split(', ') },
      });
    }
  });

  it('names the judged fields that differ, an absent informal being formal', () => {
    expect(judgedChanges(someFields(), someFields({ informal: false }))).toEqual([]);
    expect(judgedChanges(someFields(), someFields({ description: 'x', languages: ['en'] }))).toEqual([]);
    expect(judgedChanges(someFields(), someFields({ country: 'AO', name: 'N', informal: true }))).toEqual([
      'name',
      'informal',
      'country',
    ]);
  });

  it('leaves a pending organisation pending whatever it edits, with an updated event', () => {
    const c = change(update(anOrganisation(), someFields({ country: 'AO' }), 'm', at));
    expect(c.event).toBe('org.mutirao.profiles.organisation.updated');
    expect(c.next.verification).toEqual({ status: 'pending', criteria: [] });
  });

  it('refuses fields that break the form rule, naming sseForm', () => {
    const refused = (() => {
      try {
        update(anOrganisation(), someFields({ kind: 'financier' }), 'm', at);
      } catch (err) {
        return err;
      }
    })();
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({
      kind: 'invalid',
      errors: [{ path: 'sseForm', message: 'only for kind "sse-entity", not "financier"' }],
    });
  });

  it('resubmits a declined organisation that edits anything', () => {
    const declined = anOrganisation({ verification: { status: 'declined', criteria: [] } });
    const c = change(update(declined, someFields({ description: 'corrigido' }), 'm', at));
    expect(c.next.verification.status).toBe('pending');
  });
});

describe('import by ref', () => {
  const input = (o: Partial<{ verified: boolean; name: string }> = {}) => ({
    id: 'new-id',
    ref: 'org-mz-1',
    fields: someFields(o.name ? { name: o.name } : {}),
    verified: o.verified ?? false,
  });

  it('creates, verified when the file says so, as one registered event', () => {
    const c = change(importByRef(undefined, input({ verified: true }), 'admin', at));
    expect(c.event).toBe('org.mutirao.profiles.organisation.registered');
    expect(c.next).toMatchObject({
      id: 'new-id',
      ref: 'org-mz-1',
      revision: 1,
      verification: { status: 'verified' },
    });
  });

  it('is idempotent: the same fields again change nothing', () => {
    const existing = anOrganisation({ ref: 'org-mz-1' });
    expect(importByRef(existing, input(), 'admin', at)).toBe('unchanged');
    expect(importByRef(verified({ ref: 'org-mz-1' }), input({ verified: true }), 'admin', at)).toBe(
      'unchanged',
    );
  });

  it('updates changed fields, and verifies when asked, never un-verifies', () => {
    const existing = anOrganisation({ ref: 'org-mz-1', revision: 2 });
    const u = change(importByRef(existing, input({ name: 'Outro' }), 'admin', at));
    expect(u).toMatchObject({ event: 'org.mutirao.profiles.organisation.updated', next: { revision: 3 } });
    const v = change(importByRef(existing, input({ verified: true }), 'admin', at));
    expect(v).toMatchObject({ event: 'org.mutirao.profiles.organisation.verified', next: { revision: 3 } });
    expect(importByRef(verified({ ref: 'org-mz-1' }), input({ verified: false }), 'admin', at)).toBe(
      'unchanged',
    );
  });
});
