import { OutboxJournal } from '@mutirao/outbox';
import type { Connection } from 'mongoose';
import { accountStore } from './accounts';
import { invitationStore } from './invitations';
import { organisationStore } from './organisations';
import { partnershipStore } from './partnerships';
import { resetStore } from './resets';
import { signingKeyStore } from './signing-keys';
import { rateStore, throttleStore } from './throttle';

export type Stores = ReturnType<typeof openStores>;

/** The repositories over this service's own database. */
export function openStores(db: Connection) {
  // One journal for every insert that carries events (organisations, accounts, invitations,
  // password resets), handed over to the one relay.
  const journal = new OutboxJournal(db);
  return {
    journal,
    organisations: organisationStore(db, journal),
    accounts: accountStore(db, journal),
    invitations: invitationStore(db, journal),
    resets: resetStore(db, journal),
    partnerships: partnershipStore(db),
    throttle: throttleStore(db),
    rates: rateStore(db),
    keys: signingKeyStore(db),
  };
}

/**
 * Builds the declared indexes (the unique ones are how conflicts are caught). The in-memory
 * directory the organisation lists are served from is filled by `Profiles.start()`, once it knows
 * where to follow the organisation topic from.
 */
export async function initStores(s: Stores): Promise<void> {
  await s.organisations.init();
  await Promise.all([
    s.accounts.init(),
    s.invitations.init(),
    s.resets.init(),
    s.partnerships.init(),
    s.throttle.init(),
    s.rates.init(),
  ]);
}
