import { randomBytes } from 'node:crypto';

/** UUIDv7 (RFC 9562): time-ordered, so event ids sort by creation time. */
export function uuidv7(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  bytes[0] = (now / 2 ** 40) & 0xff;
  bytes[1] = (now / 2 ** 32) & 0xff;
  bytes[2] = (now / 2 ** 24) & 0xff;
  bytes[3] = (now / 2 ** 16) & 0xff;
  bytes[4] = (now / 2 ** 8) & 0xff;
  bytes[5] = now & 0xff;
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * `count` UUIDv7s of one instant, in ascending order: given to the items of one batch in their
 * order, ordering by id keeps the batch's order (ids of one millisecond are otherwise random).
 */
export function uuidv7s(count: number, now: number = Date.now()): string[] {
  return Array.from({ length: count }, () => uuidv7(now)).sort();
}
