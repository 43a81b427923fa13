/** Times of reminders, digests and retries: plain arithmetic on instants, tested on its own. */
export const DAY_MS = 86_400_000;

/** A proposal awaiting a party's answer is reminded this many days after its approval. */
export const PROPOSAL_REMINDER_DAYS = [3, 7] as const;
/** A posting's owners are told this many days before it expires, once. */
export const EXPIRY_NOTICE_DAYS = 7;
/** A need with no approved proposal this long after publication is brought to its coordinators. */
export const UNANSWERED_DAYS = 30;

export const addDays = (at: Date, days: number): Date => new Date(at.getTime() + days * DAY_MS);

/** The reminders of a proposal approved at `approvedAt`, one per day count. */
export function proposalReminders(approvedAt: Date): { day: number; dueAt: Date }[] {
  return PROPOSAL_REMINDER_DAYS.map((day) => ({ day, dueAt: addDays(approvedAt, day) }));
}

/**
 * When to say a posting expires soon: 7 days before it does. None when that moment has passed at
 * `now` (a posting published with less than a week to run is not reminded at once).
 */
export function expiryNotice(expiresAt: Date, now: Date): Date | undefined {
  const due = addDays(expiresAt, -EXPIRY_NOTICE_DAYS);
  return due.getTime() > now.getTime() ? due : undefined;
}

export const unansweredAt = (publishedAt: Date): Date => addDays(publishedAt, UNANSWERED_DAYS);

/** The day (UTC, YYYY-MM-DD) a digest gathers, and when it goes: the next `hour`:00 UTC after `at`. */
export function nextDigest(at: Date, hour: number): { day: string; dueAt: Date } {
  const due = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate(), hour));
  if (due.getTime() <= at.getTime()) due.setUTCDate(due.getUTCDate() + 1);
  return { day: due.toISOString().slice(0, 10), dueAt: due };
}

/**
 * Exponential back-off of a mail that failed: `baseMs` after the first failure, doubling up to
 * `maxMs`, with ±20 % jitter from `random` so that a backlog does not retry in step.
 */
export function retryDelay(
  failures: number,
  opts: { baseMs: number; maxMs: number },
  random: () => number = Math.random,
): number {
  const plain = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(plain * (0.8 + 0.4 * random()));
}
