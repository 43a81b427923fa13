import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { messageId, readUnsubscribeToken, unsubscribeToken } from './tokens';

const secret = randomBytes(32);

describe('unsubscribe tokens', () => {
  it('name the person and kind they were made for', () => {
    const t = unsubscribeToken(secret, 'person-1', 'proposal-approved');
    expect(readUnsubscribeToken(secret, t)).toEqual({ personId: 'person-1', kind: 'proposal-approved' });
  });

  it('refuse a token changed in any part, made with another key, or not a token', () => {
    const t = unsubscribeToken(secret, 'person-1', 'proposal-approved');
    const [p, k, m] = t.split('.') as [string, string, string];
    const other = unsubscribeToken(secret, 'person-2', 'proposal-approved').split('.')[0];
    expect(readUnsubscribeToken(secret, `${other}.${k}.${m}`)).toBeUndefined();
    expect(
      readUnsubscribeToken(secret, `${p}.${Buffer.from('digest').toString('base64url')}.${m}`),
    ).toBeUndefined();
    expect(readUnsubscribeToken(secret, `${p}.${k}.${m.slice(0, -2)}AA`)).toBeUndefined();
    expect(readUnsubscribeToken(randomBytes(32), t)).toBeUndefined();
    expect(readUnsubscribeToken(secret, 'not-a-token')).toBeUndefined();
  });
});

describe('Message-ID', () => {
  it('is the same for the same key, different for another', () => {
    expect(messageId('ev-1:p1', 'mutirao.example')).toBe(messageId('ev-1:p1', 'mutirao.example'));
    expect(messageId('ev-1:p1', 'mutirao.example')).not.toBe(messageId('ev-1:p2', 'mutirao.example'));
    expect(messageId('ev-1:p1', 'mutirao.example')).toMatch(/^<[0-9a-f]{40}@mutirao\.example>$/);
  });
});
