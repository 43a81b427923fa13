import type { WriteLocks } from '@mutirao/outbox';

/** Runs the tasks given the same key one after the other within this process. */
export function keyedSerial() {
  const tails = new Map<string, Promise<unknown>>();
  return async function serial<T>(key: string, task: () => Promise<T>): Promise<T> {
    const prev = tails.get(key) ?? Promise.resolve();
    const run = prev.then(task, task);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    try {
      return await run;
    } finally {
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}

const serial = keyedSerial();

/**
 * Every update of an organisation document in this process, the outbox relay's included (see
 * `organisationLocks`), runs through this one queue. FerretDB v1 (SQLite) was seen to lose
 * concurrent updates of one document (200 parallel $inc left 16): overlapping, a relay's $pullAll
 * could undo an edit and its pending event, and two edits could both pass the version guard.
 * MongoDB needs none of this; the version guard still protects against other instances there.
 * Organisation writes are few (registrations, edits, reviews, imports), so one queue is enough.
 */
export const organisationWrites = <T>(task: () => Promise<T>): Promise<T> => serial('organisations', task);

/** The queue as the outbox relay's write locks: its clearing of outboxes waits its turn too. */
export const organisationLocks: WriteLocks = {
  with: (_key, task) => organisationWrites(task),
  withAll: (_keys, task) => organisationWrites(task),
};
