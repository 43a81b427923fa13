import { describe, expect, it } from 'vitest';
import { decideMemberRemoval } from './membership';
import type { Person } from './person';

const t0 = new Date('2026-01-01T12:00:00Z');
const ana: Person = {
  id: 'm1',
  email: 'ana@coop.example',
  name: 'Ana',
  passwordHash: 'scrypt$…',
  roles: ['member'],
  org: 'o1',
  regions: [],
  createdAt: t0,
  revision: 1,
  updatedAt: t0,
};

describe('removing a member', () => {
  it('removes a member of the organisation while another remains', () => {
    const { prev, change } = decideMemberRemoval(ana, 2, 'o1', 'm1', t0);
    expect(prev).toBe(ana);
    expect(change.event).toBe('removed');
  });

  it('never leaves the organisation without a member: the last one stays (409)', () => {
    expect(() => decideMemberRemoval(ana, 1, 'o1', 'm1', t0)).toThrow(
      expect.objectContaining({ kind: 'conflict', message: expect.stringMatching(/last member/) }),
    );
  });

  it('finds no member of another organisation, nor a removed one', () => {
    for (const p of [{ ...ana, org: 'o2' }, { ...ana, removedAt: t0 }, undefined])
      expect(() => decideMemberRemoval(p, 3, 'o1', 'm1', t0)).toThrow(
        expect.objectContaining({ kind: 'not-found' }),
      );
  });
});
