import type { Connection } from 'mongoose';
import { PendingChanges } from './pending';
import { ProposalStore } from './proposals';
import { ReadModel } from './read-model';

export interface Stores {
  readModel: ReadModel;
  proposals: ProposalStore;
  pending: PendingChanges;
}

/** The service's collections on one connection, created (with their indexes) if missing. */
export async function openStores(conn: Connection): Promise<Stores> {
  const stores = {
    readModel: new ReadModel(conn),
    proposals: new ProposalStore(conn),
    pending: new PendingChanges(conn),
  };
  await Promise.all([
    stores.pending.init(),
    stores.readModel.organisations.init(),
    stores.readModel.needs.init(),
    stores.readModel.offers.init(),
    stores.proposals.model.init(),
  ]);
  return stores;
}
