import { PersonSnapshot } from '@mutirao/contracts';
import { describe, expect, it } from 'vitest';
import type { Person } from './person';
import { activateCoordinator, changeRegions, isInvited, NO_PASSWORD, removeCoordinator } from './staff';

const t0 = new Date('2026-01-01T12:00:00Z');
const t1 = new Date('2026-01-02T12:00:00Z');
const awa: Person = {
  id: 'c1',
  email: 'awa@network.example',
  name: 'Awa',
  passwordHash: 'scrypt$…',
  roles: ['coordinator'],
  regions: ['Western Africa'],
  createdAt: t0,
  revision: 1,
  updatedAt: t0,
};
const member: Person = { ...awa, id: 'm1', roles: ['member'], org: 'o1', regions: [] };

describe('a coordinator’s regions', () => {
  it('change in a new revision whose event carries them, each once', () => {
    const { change } = changeRegions(awa, 'c1', ['South America', 'Africa', 'South America'], t1);
    if (change === 'unchanged') throw new Error('expected a change');
    expect(change.event).toBe('updated');
    expect(change.next).toMatchObject({ regions: ['South America', 'Africa'], revision: 2, updatedAt: t1 });
    expect(PersonSnapshot.parse(change.snapshot).regions).toEqual(['South America', 'Africa']);
  });

  it('the same regions change nothing', () => {
    expect(changeRegions(awa, 'c1', ['Western Africa'], t1).change).toBe('unchanged');
  });

  it('belong to coordinators only: a member, a removed coordinator or nobody is not found', () => {
    for (const p of [member, { ...awa, removedAt: t0 }, undefined])
      expect(() => changeRegions(p, 'x', ['Africa'], t1)).toThrow(
        expect.objectContaining({ kind: 'not-found' }),
      );
  });
});

describe('taking the coordinator role away', () => {
  it('removes the account: inactive, its address given up, the event naming the address it had', () => {
    const { change } = removeCoordinator(awa, 'c1', t1);
    expect(change.event).toBe('removed');
    expect(change.next.removedAt).toEqual(t1);
    expect(change.next.email).not.toBe(awa.email);
    expect(change.snapshot).toMatchObject({ email: awa.email, active: false, roles: ['coordinator'] });
  });

  it('refuses anyone but a coordinator', () => {
    expect(() => removeCoordinator(member, 'm1', t1)).toThrow(expect.objectContaining({ kind: 'not-found' }));
  });
});

describe('an invited coordinator', () => {
  const invited: Person = { ...awa, passwordHash: NO_PASSWORD };

  it('cannot sign in until accepting, then has the name, password and language chosen', () => {
    expect(isInvited(invited)).toBe(true);
    const change = activateCoordinator(
      invited,
      { name: 'Awa Diallo', passwordHash: 'scrypt$x', language: 'fr' },
      t1,
    );
    expect(change.event).toBe('updated');
    expect(change.next).toMatchObject({
      name: 'Awa Diallo',
      passwordHash: 'scrypt$x',
      language: 'fr',
      revision: 2,
    });
    expect(isInvited(change.next)).toBe(false);
    expect(change.snapshot).not.toHaveProperty('passwordHash');
  });

  it('removed before accepting, cannot accept', () => {
    expect(() =>
      activateCoordinator({ ...invited, removedAt: t0 }, { name: 'Awa', passwordHash: 'scrypt$x' }, t1),
    ).toThrow(expect.objectContaining({ kind: 'conflict' }));
  });
});
