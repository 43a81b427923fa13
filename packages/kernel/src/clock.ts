/** The time, as the service sees it: injected everywhere, so tests move it. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
