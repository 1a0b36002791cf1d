/**
 * The service's automatic disable (lifecycle §6.2, "secure by default"): a connection unused for 100 days is
 * disabled by Azure DevOps itself; an administrator may also disable one by hand. Pure decisions over what
 * was read (the newest run, the creation date, the last modification).
 */
import type { ServiceEndpoint } from './endpoint';
import { DAY_MS } from './time';

export const AUTO_DISABLE_DAYS = 100;

const timeOf = (value: string | Date | null | undefined): number | undefined => {
  if (value === null || value === undefined || value === '') return undefined;
  const t = new Date(value).getTime();
  return Number.isNaN(t) ? undefined : t;
};

/** When the connection was last used: the newest run, else its creation (what the service counts from). */
export function lastUseOf(endpoint: ServiceEndpoint, newestRun: string | undefined): number | undefined {
  return timeOf(newestRun) ?? timeOf(endpoint.creationDate);
}

export type DisabledBy =
  | { kind: 'service'; lastUse?: string }
  | { kind: 'person'; name: string; at?: string; orService?: true }
  | { kind: 'unknown' };

/**
 * Who disabled it, as far as the read shows: unused for 100 days means the service's sweep (it logs
 * Library.ServiceConnectionPropertyChanged); used more recently means a person, the last modifier.
 */
export function disabledBy(endpoint: ServiceEndpoint, newestRun: string | undefined, now: Date): DisabledBy {
  const last = lastUseOf(endpoint, newestRun);
  if (last !== undefined && now.getTime() - last >= AUTO_DISABLE_DAYS * DAY_MS) return { kind: 'service', lastUse: new Date(last).toISOString() };
  const name = endpoint.modifiedBy?.displayName ?? endpoint.modifiedBy?.uniqueName;
  const at = timeOf(endpoint.modificationDate);
  if (name) return { kind: 'person', name, ...(at !== undefined ? { at: new Date(at).toISOString() } : {}) };
  return { kind: 'unknown' };
}

/**
 * What the inventory keeps of a disabled connection (a list reads no runs): who changed it last and when, and when it
 * was created. Times in ms.
 */
export interface DisabledFacts {
  modifiedBy: string | undefined;
  modifiedAt: number | undefined;
  createdAt: number | undefined;
}

export function disabledFactsOf(endpoint: ServiceEndpoint): DisabledFacts {
  return {
    modifiedBy: endpoint.modifiedBy?.displayName ?? endpoint.modifiedBy?.uniqueName ?? undefined,
    modifiedAt: timeOf(endpoint.modificationDate),
    createdAt: timeOf(endpoint.creationDate),
  };
}

/**
 * Who disabled it, from what the inventory keeps: the newest run is not known, so the service's sweep is never
 * claimed; it is only left open (`orService`) when the connection is old enough for the sweep to have disabled it.
 */
export function disabledByKept(facts: DisabledFacts | undefined, now: Date): DisabledBy {
  if (!facts?.modifiedBy) return { kind: 'unknown' };
  const sweepPossible = facts.createdAt === undefined || now.getTime() - facts.createdAt >= AUTO_DISABLE_DAYS * DAY_MS;
  return {
    kind: 'person', name: facts.modifiedBy,
    ...(facts.modifiedAt !== undefined ? { at: new Date(facts.modifiedAt).toISOString() } : {}),
    ...(sweepPossible ? { orService: true as const } : {}),
  };
}

/** Whole days until the service disables an enabled connection (negative: overdue, the sweep has not run yet). */
export function daysUntilAutoDisable(endpoint: ServiceEndpoint, newestRun: string | undefined, now: Date): number | undefined {
  const last = lastUseOf(endpoint, newestRun);
  if (last === undefined) return undefined;
  return Math.floor((last + AUTO_DISABLE_DAYS * DAY_MS - now.getTime()) / DAY_MS);
}

export function disabledByText(by: DisabledBy): string {
  const day = (iso?: string) => (iso ? iso.slice(0, 10) : undefined);
  if (by.kind === 'service') return `disabled by Azure DevOps after ${AUTO_DISABLE_DAYS} days unused${by.lastUse ? ` (last use ${day(by.lastUse)})` : ''}`;
  if (by.kind === 'person') {
    const or = by.orService ? ` or by Azure DevOps if unused for ${AUTO_DISABLE_DAYS} days (its runs were not read)` : '';
    return `disabled by ${by.name}${by.at ? ` (last change ${day(by.at)})` : ''}${or}`;
  }
  return 'disabled (by whom is not known)';
}
