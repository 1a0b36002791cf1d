import type { AuditMeta } from '../../src/domain/audit';
import type { Clock } from '../../src/domain/time';
import { NOW } from './planners-fixture';

export const REQUESTER = { id: '29:user-a', name: 'Avery Requester', aadObjectId: 'aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa' };
export const APPROVER = { id: '29:user-b', name: 'Blake Approver', aadObjectId: 'bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb' };
export const CONVERSATION = { id: '19:channel@thread.tacv2', type: 'channel' };

/** A clock that moves one second each time it is read, so events get distinct, ordered times without sleeping. */
export function steppingClock(start = NOW): Clock & { reads: number } {
  const clock = { reads: 0, now: () => new Date(start.getTime() + 1000 * clock.reads++) };
  return clock;
}

let n = 0;
export function meta(overrides: Partial<AuditMeta> = {}): AuditMeta {
  n += 1;
  return { id: `E-TEST${String(n).padStart(6, '0')}`, at: NOW, actor: REQUESTER, conversation: CONVERSATION, correlationId: `corr-${n}`, ...overrides };
}
