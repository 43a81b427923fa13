import { describe, expect, it } from 'vitest';
import { routeOf } from './kinds';
import { expiryNotice, nextDigest, proposalReminders, retryDelay, unansweredAt } from './schedule';

const at = (s: string) => new Date(s);

describe('schedule maths', () => {
  it('reminds a proposal 3 and 7 days after its approval', () => {
    expect(proposalReminders(at('2026-01-30T12:00:00Z')).map((r) => [r.day, r.dueAt.toISOString()])).toEqual([
      [3, '2026-02-02T12:00:00.000Z'],
      [7, '2026-02-06T12:00:00.000Z'],
    ]);
  });

  it('tells of an expiry 7 days ahead, unless that moment has passed', () => {
    expect(expiryNotice(at('2026-06-30T23:59:59Z'), at('2026-06-01T00:00:00Z'))?.toISOString()).toBe(
      '2026-06-23T23:59:59.000Z',
    );
    expect(expiryNotice(at('2026-06-30T00:00:00Z'), at('2026-06-25T00:00:00Z'))).toBeUndefined();
  });

  it('checks a need 30 days after publication', () => {
    expect(unansweredAt(at('2026-02-01T00:00:00Z')).toISOString()).toBe('2026-03-03T00:00:00.000Z');
  });

  it('sends a digest at the next digest hour, the same day before it, the next day after it', () => {
    expect(nextDigest(at('2026-02-01T05:00:00Z'), 7)).toEqual({
      day: '2026-02-01',
      dueAt: at('2026-02-01T07:00:00Z'),
    });
    expect(nextDigest(at('2026-02-01T07:00:00Z'), 7)).toEqual({
      day: '2026-02-02',
      dueAt: at('2026-02-02T07:00:00Z'),
    });
    expect(nextDigest(at('2026-12-31T23:00:00Z'), 7).day).toBe('2027-01-01');
  });

  it('backs off exponentially to a ceiling, with bounded jitter', () => {
    const opts = { baseMs: 1_000, maxMs: 60_000 };
    const mid = () => 0.5;
    expect([1, 2, 3, 4, 7, 20].map((n) => retryDelay(n, opts, mid))).toEqual([
      1_000, 2_000, 4_000, 8_000, 60_000, 60_000,
    ]);
    expect(retryDelay(3, opts, () => 0)).toBe(3_200);
    expect(retryDelay(3, opts, () => 0.999999)).toBeLessThanOrEqual(4_800);
  });
});

describe('channels', () => {
  it('default to mail and in-app; digest keeps the item for the daily mail; off is nothing', () => {
    expect(routeOf('proposal-approved', undefined)).toEqual({ mail: true, inApp: true, digest: false });
    expect(routeOf('proposal-approved', { 'proposal-approved': 'in-app' })).toEqual({
      mail: false,
      inApp: true,
      digest: false,
    });
    expect(routeOf('proposal-approved', { 'proposal-approved': 'digest' })).toEqual({
      mail: false,
      inApp: true,
      digest: true,
    });
    expect(routeOf('proposal-approved', { 'proposal-approved': 'off' })).toEqual({
      mail: false,
      inApp: false,
      digest: false,
    });
  });

  it('always mail invitations and password resets, whatever was chosen', () => {
    expect(routeOf('password-reset', { 'proposal-approved': 'off' })).toEqual({
      mail: true,
      inApp: false,
      digest: false,
    });
  });
});
