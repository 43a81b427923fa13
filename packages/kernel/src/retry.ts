import { DomainError } from './errors';

/** How many times a change is tried again when another writer got there first. */
export const SAVE_ATTEMPTS = 5;

/**
 * Load – decide – save, again while the save reports that someone else wrote in between (an
 * optimistic-concurrency guard). `attempt` returns `saved` with its result, or `retry`; after
 * `SAVE_ATTEMPTS` retries the change is refused as a conflict (409), never left to a 500.
 */
export async function untilSaved<T>(
  what: string,
  attempt: () => Promise<{ saved: true; value: T } | { saved: false }>,
): Promise<T> {
  for (let i = 0; i < SAVE_ATTEMPTS; i++) {
    const r = await attempt();
    if (r.saved) return r.value;
  }
  throw new DomainError('conflict', `${what} was changed by someone else meanwhile; try again.`);
}
