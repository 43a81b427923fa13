import type { Connection } from 'mongoose';
import { DecisionStore } from './decisions';
import { PartitionHolders } from './partitions';
import { PendingChanges } from './pending';
import { ProposalStore } from './proposals';
import { ReadModel } from './read-model';
import { RoundStore } from './rounds';

export interface Stores {
  readModel: ReadModel;
  proposals: ProposalStore;
  pending: PendingChanges;
  holders: PartitionHolders;
  rounds: RoundStore;
  decisions: DecisionStore;
}

/**
 * The service's collections on one connection; nothing is read or written yet. `instance`: the
 * name of this instance when several run (its own organisations and offers, see ReadModel).
 */
export function createStores(conn: Connection, instance?: string): Stores {
  return {
    readModel: new ReadModel(conn, instance),
    proposals: new ProposalStore(conn),
    pending: new PendingChanges(conn),
    holders: new PartitionHolders(conn),
    rounds: new RoundStore(conn),
    decisions: new DecisionStore(conn),
  };
}

/** Creates the collections (with their indexes) if missing. */
export async function initStores(stores: Stores): Promise<void> {
  await Promise.all([
    stores.pending.init(),
    stores.readModel.organisations.init(),
    stores.readModel.needs.init(),
    stores.readModel.offers.init(),
    stores.proposals.model.init(),
    stores.holders.model.init(),
    stores.rounds.model.init(),
    stores.decisions.model.init(),
  ]);
}

/** `createStores` and `initStores`. */
export async function openStores(conn: Connection): Promise<Stores> {
  const stores = createStores(conn);
  await initStores(stores);
  return stores;
}
