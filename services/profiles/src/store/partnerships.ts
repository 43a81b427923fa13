import { isDuplicateKey } from '@mutirao/outbox';
import { type Connection, Schema } from 'mongoose';
import { orderedPair, type Partnership } from '../domain/partnership';

/**
 * Its own collection rather than a field of the organisation: recording a partnership never
 * writes an organisation document, so it cannot race the organisation writes (see serial.ts).
 * The key is the ordered pair, so a replayed agreement finds it taken and changes nothing.
 */
const PartnershipSchema = new Schema(
  { _id: String, a: String, b: String, proposalId: String, since: Date },
  { versionKey: false },
);

const keyOf = (x: string, y: string) => orderedPair(x, y).join(' ');

export type PartnershipStore = ReturnType<typeof partnershipStore>;

export function partnershipStore(db: Connection) {
  const model = db.model('Partnership', PartnershipSchema, 'partnerships');
  return {
    model,
    init: () => model.init(),
    count: () => model.countDocuments(),

    /** Records the pair unless it is already recorded; true when this call recorded it. */
    async record(p: Partnership): Promise<boolean> {
      const [a, b] = orderedPair(p.a, p.b);
      try {
        await model.create({ _id: keyOf(a, b), a, b, proposalId: p.proposalId, since: p.since });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },

    async between(x: string, y: string): Promise<boolean> {
      return (await model.exists({ _id: keyOf(x, y) })) !== null;
    },
  };
}
