import { PersonSnapshot } from '@mutirao/contracts';
import { describe, expect, it } from 'vitest';
import {
  editPerson,
  mailLanguage,
  type Person,
  registerPerson,
  removePerson,
  toPersonSnapshot,
} from './person';

const t0 = new Date('2026-01-01T12:00:00Z');
const t1 = new Date('2026-01-02T12:00:00Z');
const ana: Person = {
  id: 'p1',
  email: 'ana@coop.example',
  name: 'Ana',
  passwordHash: 'scrypt$…',
  roles: ['member'],
  org: 'o1',
  regions: [],
  createdAt: t0,
  revision: 0,
  updatedAt: t0,
};

describe('a person as published', () => {
  it('is registered at revision 1, as the contracts describe it, without its password', () => {
    const { next, event, snapshot } = registerPerson(ana, t0);
    expect(event).toBe('registered');
    expect(next.revision).toBe(1);
    expect(PersonSnapshot.parse(snapshot)).toEqual({
      id: 'p1',
      revision: 1,
      updatedAt: '2026-01-01T12:00:00.000Z',
      email: 'ana@coop.example',
      name: 'Ana',
      organisationId: 'o1',
      roles: ['member'],
      regions: [],
      active: true,
    });
    expect(JSON.stringify(snapshot)).not.toContain('scrypt');
  });

  it('is registered only once', () => {
    expect(() => registerPerson({ ...ana, revision: 1 }, t0)).toThrow(/published already/);
  });

  it('gets one more revision per edit that changes something, and none for one that does not', () => {
    const one = registerPerson(ana, t0).next;
    const french = editPerson(one, { language: 'fr' }, t1);
    if (french === 'unchanged') throw new Error('changed');
    expect(french).toMatchObject({ event: 'updated', next: { revision: 2, language: 'fr', updatedAt: t1 } });
    expect(french.snapshot).toMatchObject({ revision: 2, language: 'fr', name: 'Ana' });
    expect(editPerson(french.next, { language: 'fr', name: 'Ana' }, t1)).toBe('unchanged');
    expect(editPerson(french.next, {}, t1)).toBe('unchanged');
    const renamed = editPerson(french.next, { name: 'Ana Maria' }, t1);
    expect(renamed).toMatchObject({ next: { revision: 3, name: 'Ana Maria', language: 'fr' } });
  });

  it('is removed as inactive, naming the address it had, which the account gives up', () => {
    const one = registerPerson(ana, t0).next;
    const { next, event, snapshot } = removePerson(one, t1);
    expect(event).toBe('removed');
    expect(snapshot).toMatchObject({ revision: 2, active: false, email: 'ana@coop.example' });
    expect(next.email).not.toContain('@');
    expect(next.passwordHash).toBe('!');
    expect(toPersonSnapshot(next).active).toBe(false);
  });
});

describe('the language of a mail', () => {
  it('is the first choice the app speaks, else English', () => {
    expect(mailLanguage('pt', 'fr')).toBe('pt');
    expect(mailLanguage(undefined, 'es')).toBe('es');
    expect(mailLanguage(undefined, undefined, ['sw', 'fr', 'en'])).toBe('fr');
    expect(mailLanguage(undefined, ['sw', 'ar'])).toBe('en');
  });
});
