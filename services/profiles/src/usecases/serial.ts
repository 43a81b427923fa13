import { KeyedLocks, type WriteLocks } from '@mutirao/kernel';

const locks = new KeyedLocks();

/**
 * Every update of an organisation document in this process, the outbox relay's included (see
 * `organisationLocks`), runs through this one queue. FerretDB v1 (SQLite) was seen to lose
 * concurrent updates of one document (200 parallel $inc left 16): overlapping, a relay's clearing
 * could undo an edit and its pending event, and two edits could both pass the version guard.
 * MongoDB needs none of this; the version guard still protects against other instances there.
 * Organisation writes are few (registrations, edits, reviews, imports), so one queue is enough.
 */
export const organisationWrites = <T>(task: () => Promise<T>): Promise<T> =>
  locks.with('organisations', task);

/** The queue as the outbox relay's write locks: its clearing of outboxes waits its turn too. */
export const organisationLocks: WriteLocks = {
  with: (_key, task) => organisationWrites(task),
  withAll: (_keys, task) => organisationWrites(task),
};

/**
 * The outbox relay's write locks: an organisation document's clearing waits its turn in the
 * organisation queue, an account's holds that account's lock (`accounts:<id>`, which every update
 * of an account takes: see the account store).
 */
export function relayLocks(accounts: WriteLocks): WriteLocks {
  const isAccount = (key: string) => key.startsWith('accounts:');
  return {
    with: (key, task) => (isAccount(key) ? accounts.with(key, task) : organisationLocks.with(key, task)),
    withAll: (keys, task) => {
      const all = [...keys];
      if (all.length > 0 && all.every(isAccount)) return accounts.withAll(all, task);
      if (all.some(isAccount)) throw new Error('the relay clears one collection at a time');
      return organisationLocks.withAll(all, task);
    },
  };
}
