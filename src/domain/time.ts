/**
 * Time, in one place: the Clock port (logic never calls Date.now(), so tests advance time instead of sleeping),
 * waiting and repeating (injected where a test must not wait), day arithmetic and the one UTC format cards and
 * plans print.
 */
export interface Clock {
  now(): Date;
}

/** Waits `ms` (a timer in production; tests pass one that resolves at once or when they say). */
export type Sleep = (ms: number) => Promise<void>;

/** Repeats `fn` every `ms` until the returned stop function is called (a timer in production, by hand in tests). */
export type Repeat = (fn: () => void, ms: number) => () => void;

export const SECOND_MS = 1_000;
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export const sleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** setInterval that never keeps a stopping process alive: renewals and schedules stop with the process. */
export const every: Repeat = (fn, ms) => {
  const timer = setInterval(fn, ms);
  timer.unref();
  return () => clearInterval(timer);
};

/** The wall clock with real timers: the one implementation outside tests. */
export const systemClock: Clock & { sleep: Sleep; every: Repeat } = { now: () => new Date(), sleep, every };

export function addMs(date: Date, ms: number): Date {
  return new Date(date.getTime() + ms);
}

export function addDays(date: Date, days: number): Date {
  return addMs(date, days * DAY_MS);
}

/** Whole days from `from` to `to`, rounded down (negative when `to` is earlier). */
export function daysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / DAY_MS);
}

/** "2026-11-20 10:04": minutes, UTC, no zone suffix. */
export const utcMinute = (date: Date): string => date.toISOString().slice(0, 16).replace('T', ' ');

/** "2026-11-20 10:04 UTC": unambiguous across time zones without Teams' date functions; undefined for nothing. */
export function formatUtc(value: string | Date | null | undefined): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return typeof value === 'string' ? value : undefined;
  return `${utcMinute(date)} UTC`;
}

/** formatUtc for a value that is always there: an unreadable one is shown as it came. */
export function isoMinute(date: Date | string): string {
  return formatUtc(date) ?? String(date);
}
