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
 * of an account takes: see the account store), an invitation's that invitation's
 * (`invitations:<token hash>`: see the invitation store).
 */
export function relayLocks(accounts: WriteLocks, invitations: WriteLocks): WriteLocks {
  const locksOf = (key: string): WriteLocks =>
    key.startsWith('accounts:') ? accounts : key.startsWith('invitations:') ? invitations : organisationLocks;
  return {
    with: (key, task) => locksOf(key).with(key, task),
    withAll: (keys, task) => {
      const all = [...keys];
      const first = all[0];
      if (first === undefined) return organisationLocks.withAll(all, task);
      const locks = locksOf(first);
      if (all.some((k) => locksOf(k) !== locks)) throw new Error('the relay clears one collection at a time');
      return locks.withAll(all, task);
    },
  };
}
