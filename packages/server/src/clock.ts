/** Time as a dependency, so time-based logic (expiry, windows) is testable without sleeping. */
export type Clock = { now(): number };

export const systemClock: Clock = { now: () => Date.now() };
