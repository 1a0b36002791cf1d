/** Time as a port, so logic never calls Date.now() and tests advance time instead of sleeping. */
export interface Clock {
  now(): Date;
}

/** The wall clock: the one implementation outside tests. */
export const systemClock: Clock = { now: () => new Date() };
