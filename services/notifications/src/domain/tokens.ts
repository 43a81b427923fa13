import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Kind } from './kinds';

/**
 * One-click unsubscribe tokens: `<person>.<kind>.<mac>`, each part base64url, the MAC an
 * HMAC-SHA256 of person and kind under the service's secret (made at its first start and kept in
 * its database). Whoever holds the mail can switch that kind off for that person, and nobody can
 * make a token for anyone else without the secret.
 */
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
const unb64 = (s: string) => Buffer.from(s, 'base64url').toString('utf8');
const mac = (secret: Buffer, personId: string, kind: string) =>
  createHmac('sha256', secret).update(`unsubscribe\0${personId}\0${kind}`).digest();

export function unsubscribeToken(secret: Buffer, personId: string, kind: Kind): string {
  return `${b64(personId)}.${b64(kind)}.${mac(secret, personId, kind).toString('base64url')}`;
}

/** The person and kind of a token this service made, or undefined for anything else. */
export function readUnsubscribeToken(
  secret: Buffer,
  token: string,
): { personId: string; kind: Kind } | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [p, k, m] = parts as [string, string, string];
  const personId = unb64(p);
  const kind = Kind.safeParse(unb64(k));
  if (!personId || !kind.success) return undefined;
  const given = Buffer.from(m, 'base64url');
  const expected = mac(secret, personId, kind.data);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return { personId, kind: kind.data };
}

/**
 * The `Message-ID` of a notice's mail, derived from its idempotency key: a mail sent again after a
 * crash carries the same id, so the receiving side can tell it is the same mail (RFC 5322 §3.6.4).
 */
export function messageId(key: string, domain: string): string {
  return `<${createHash('sha256').update(key).digest('hex').slice(0, 40)}@${domain}>`;
}
