import { type Connection, Schema } from 'mongoose';
import type { SigningKey } from '../identity/issuer';

/**
 * The embedded issuer's key pair, kept in this service's database so that a restart keeps
 * issued tokens valid. One fixed document id: two instances starting at once end up with the
 * same key (the second insert fails and reads the first).
 */
const KeySchema = new Schema(
  { _id: String, kid: String, privateJwk: String, publicJwk: String, createdAt: Date },
  { versionKey: false },
);
const ID = 'signing-key';

export function signingKeyStore(db: Connection) {
  const model = db.model('SigningKey', KeySchema, 'signing_keys');
  const read = async (): Promise<SigningKey | undefined> => {
    const doc = await model.findById(ID).lean<{ kid: string; privateJwk: string; publicJwk: string }>();
    return doc
      ? { kid: doc.kid, privateJwk: JSON.parse(doc.privateJwk), publicJwk: JSON.parse(doc.publicJwk) }
      : undefined;
  };
  return {
    /** The stored key, or `generate()`'s, stored now. */
    async loadOrCreate(generate: () => Promise<SigningKey>, now: Date): Promise<SigningKey> {
      const existing = await read();
      if (existing) return existing;
      const key = await generate();
      try {
        await model.create({
          _id: ID,
          kid: key.kid,
          privateJwk: JSON.stringify(key.privateJwk),
          publicJwk: JSON.stringify(key.publicJwk),
          createdAt: now,
        });
        return key;
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err;
        const winner = await read();
        if (!winner) throw err;
        return winner;
      }
    },
  };
}
