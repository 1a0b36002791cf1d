import type { ConnectionCensus } from '../../src/domain/census';
import type { Finding } from '../../src/domain/findings';
import type { HealthInput } from '../../src/cards/health-view';
import { findingOf, KINDS } from './alert-fixture';

const DAY_MS = 86_400_000;
export const HEALTH_NOW = '2026-11-22T06:00:05.000Z';

export const CENSUS: ConnectionCensus = { federated: 12, secret: 14, other: 4, secretsByWeek: [1, 2, 0, 1, 0, 0, 3, 0, 1] };

/** The health card's input as the command reads it: a scan with one finding of each kind, and `days` of trend. */
export function healthInput(o: { findings?: Finding[]; census?: ConnectionCensus | undefined; days?: number } = {}): HealthInput {
  const findings = o.findings ?? KINDS.map((kind, i) => findingOf(kind, i + 1));
  const days = o.days ?? 30;
  const census = 'census' in o ? o.census : CENSUS;
  return {
    now: HEALTH_NOW,
    scan: { startedAt: '2026-11-22T06:00:00.000Z', ok: true, findings, connections: 30, ...(census ? { census } : {}) },
    trend: Array.from({ length: days }, (_, i) => ({
      day: new Date(Date.parse(HEALTH_NOW) - (days - 1 - i) * DAY_MS).toISOString().slice(0, 10), critical: 5 - (i % 3), warning: 8 + (i % 4), info: 20 - (i % 5),
    })),
  };
}
