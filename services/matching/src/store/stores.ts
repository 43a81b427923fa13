import type { Connection } from 'mongoose';
import { PendingChanges } from './pending';
import { ProposalStore } from './proposals';
import { ReadModel } from './read-model';

export interface Stores {
  readModel: ReadModel;
  proposals: ProposalStore;
  pending: PendingChanges;
}

/** The service's collections on one connection; nothing is read or written yet. */
export function createStores(conn: Connection): Stores {
  return {
    readModel: new ReadModel(conn),
    proposals: new ProposalStore(conn),
    pending: new PendingChanges(conn),
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
  ]);
}

/** `createStores` and `initStores`. */
export async function openStores(conn: Connection): Promise<Stores> {
  const stores = createStores(conn);
  await initStores(stores);
  return stores;
}
