import { type Connection, type Model, Schema } from 'mongoose';

interface HolderDoc {
  /** The partition of the need topic. */
  _id: number;
  /** The consumer-group member id of the instance that writes the partition's needs, or null. */
  holder: string | null;
  at: Date;
}

/**
 * Who writes each need partition's proposals, with several matching instances. Kafka says who
 * *reads* a partition; this says who has finished with it: an instance that loses a partition
 * releases it only once its last write for those needs is done, and the next owner starts once it
 * is released (or its holder has left the group, dead). One document per partition, written by
 * the holder, then by the next one only after the release: never by two at once.
 */
export class PartitionHolders {
  readonly model: Model<HolderDoc>;

  constructor(conn: Connection) {
    this.model = conn.model<HolderDoc>(
      'NeedPartition',
      new Schema<HolderDoc>(
        { _id: Number, holder: { type: String, default: null }, at: { type: Date, required: true } },
        { versionKey: false },
      ),
      'need_partitions',
    );
  }

  async holderOf(partition: number): Promise<string | null> {
    const d = await this.model.findById(partition).lean<HolderDoc>().exec();
    return d?.holder ?? null;
  }

  async take(partition: number, holder: string): Promise<void> {
    await this.model
      .updateOne({ _id: partition }, { $set: { holder, at: new Date() } }, { upsert: true })
      .exec();
  }

  /** Gives the partition up, if `holder` still holds it. */
  async release(partition: number, holder: string): Promise<void> {
    await this.model.updateOne({ _id: partition, holder }, { $set: { holder: null, at: new Date() } }).exec();
  }
}
