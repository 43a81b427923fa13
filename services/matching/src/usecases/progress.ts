export interface Progress {
  /** Every event taken in and every need ranked. */
  caughtUp: boolean;
  /** Events of the posting topics the consumer group has not processed yet. */
  eventsWaiting: number;
  /** Needs waiting to be ranked. */
  needsWaiting: number;
}

export interface ProgressDeps {
  /** True when no need waits to be ranked and none is being ranked. */
  idle: () => boolean;
  needsWaiting: () => number;
  /** Events of the posting topics not processed yet (the consumer group's lag). */
  eventsWaiting: () => Promise<number>;
}

/**
 * How far matching is behind (for `mutirao wait` and the importer's pace): caught up when no event
 * waits and no need is waiting or being ranked, looked at before and after the lag, since a flush
 * may start in between.
 */
export async function progress(deps: ProgressDeps): Promise<Progress> {
  const idleBefore = deps.idle();
  const eventsWaiting = await deps.eventsWaiting();
  const caughtUp = idleBefore && eventsWaiting === 0 && deps.idle();
  return { caughtUp, eventsWaiting, needsWaiting: deps.needsWaiting() };
}
