import { randomBytes } from 'node:crypto';
import { isDuplicateKey } from '@mutirao/outbox';
import type { Connection } from 'mongoose';
import { collection } from './db';

/**
 * The key of the unsubscribe tokens: 32 random bytes made at the service's first start and kept in
 * its own database, so that links in mails already sent keep working across restarts and instances.
 */
export async function unsubscribeSecret(conn: Connection): Promise<Buffer> {
  const c = collection<{ _id: string; value: string }>(conn, 'settings');
  const held = await c.findOne({ _id: 'unsubscribe-secret' });
  if (held) return Buffer.from(held.value, 'base64');
  const value = randomBytes(32).toString('base64');
  try {
    await c.insertOne({ _id: 'unsubscribe-secret', value });
    return Buffer.from(value, 'base64');
  } catch (err) {
    // Another instance made it at the same moment: its key is the one.
    if (!isDuplicateKey(err)) throw err;
    const other = await c.findOne({ _id: 'unsubscribe-secret' });
    if (!other) throw err;
    return Buffer.from(other.value, 'base64');
  }
}
