import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AUDIT_COLLECTION, auditKey, auditMetaFrom, newAuditId, StoreAuditLog } from '../../src/audit';
import type { AuditEvent } from '../../src/domain/audit';
import { auditEventForApproved, auditEventForExecuted, auditEventForRequested } from '../../src/domain/audit';
import { EmbeddedStore, VersionConflictError } from '../../src/store';
import { APPROVER, CONVERSATION, meta, REQUESTER, steppingClock } from './audit-fixture';
import { bulkConvert, rotatePlan } from './plan-card-fixture';
import { NOW } from './planners-fixture';

const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

/** requested / approved / executed for sc-prod, then a bulk conversion requested: four events, one second apart. */
async function seeded(log: StoreAuditLog): Promise<AuditEvent[]> {
  const rotate = rotatePlan('sc-prod');
  const bulk = bulkConvert(3);
  const events = [
    auditEventForRequested(rotate, meta({ at: at(0) })),
    auditEventForApproved(rotate, meta({ at: at(1), actor: APPROVER })),
    auditEventForExecuted(rotate, meta({ at: at(2), actor: APPROVER }), rotate.items[0]!.endpointId, { status: 'done' }),
    auditEventForRequested(bulk, meta({ at: at(3) })),
  ];
  // Appended out of order on purpose: reads order by time, not by arrival.
  for (const i of [2, 0, 3, 1]) await log.append(events[i]!);
  return events;
}

describe('StoreAuditLog', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('answers newest first, filtered by connection name or id, plan id and last N', async () => {
    const log = new StoreAuditLog(new EmbeddedStore());
    const [requested, approved, executed, bulk] = await seeded(log);
    expect((await log.query()).map((e) => e.id)).toEqual([bulk, executed, approved, requested].map((e) => e!.id));
    expect((await log.query({ last: 2 })).map((e) => e.id)).toEqual([bulk!.id, executed!.id]);
    expect((await log.query({ connection: 'SC-PROD' })).map((e) => e.kind)).toEqual(['executed', 'approved', 'requested']);
    const bulkId = bulk!.connections[1]!.endpointId;
    expect((await log.query({ connection: bulkId.toUpperCase() })).map((e) => e.id)).toEqual([bulk!.id]);
    expect((await log.query({ planId: 'p-rotate1', last: 1 })).map((e) => e.kind)).toEqual(['executed']);
    expect(await log.query({ connection: 'nothing-like-it' })).toEqual([]);
    expect(await log.query({ last: 0 })).toEqual([]);
  });

  it('is append-only: the same event cannot be written twice, and the first one stays as it was', async () => {
    const store = new EmbeddedStore();
    const log = new StoreAuditLog(store);
    const event = auditEventForRequested(rotatePlan(), meta());
    await log.append(event);
    await expect(log.append({ ...event, actor: APPROVER })).rejects.toBeInstanceOf(VersionConflictError);
    // Even a direct create-only write to the same key is refused by the Store.
    await expect(store.put(AUDIT_COLLECTION, auditKey(event), { ...event, kind: 'approved' })).rejects.toBeInstanceOf(VersionConflictError);
    expect(await log.query()).toEqual([event]);
    expect(auditKey(event)).toBe(`${NOW.toISOString()}_${event.id}`);
  });

  it('survives a restart when the Store persists to a directory', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'scbot-audit-'));
    const events = await seeded(new StoreAuditLog(new EmbeddedStore({ dir })));
    const reopened = new StoreAuditLog(new EmbeddedStore({ dir }));
    expect((await reopened.query()).map((e) => e.id)).toEqual([...events].reverse().map((e) => e.id));
  });

  it('keeps the order events were made in when they share a millisecond', async () => {
    const log = new StoreAuditLog(new EmbeddedStore());
    const plan = rotatePlan();
    const fixed = { clock: { now: () => NOW }, user: REQUESTER, conversation: CONVERSATION };
    const made = Array.from({ length: 12 }, () => auditEventForRequested(plan, auditMetaFrom(fixed)));
    for (const event of [...made].reverse()) await log.append(event);
    expect((await log.query()).map((e) => e.id)).toEqual([...made].reverse().map((e) => e.id));
  });
});

describe('audit ids and meta', () => {
  it('makes distinct, time-ordered ids and a correlation id when none is given', () => {
    const ids = Array.from({ length: 50 }, () => newAuditId());
    expect(new Set(ids).size).toBe(50);
    expect([...ids].sort()).toEqual(ids);
    const clock = steppingClock();
    const m = auditMetaFrom({ clock, user: REQUESTER, conversation: CONVERSATION });
    expect(m).toMatchObject({ at: NOW, actor: REQUESTER, conversation: CONVERSATION });
    expect(m.correlationId).toMatch(/^C-/);
    expect(auditMetaFrom({ clock, user: REQUESTER, conversation: CONVERSATION, correlationId: 'act-1' }).correlationId).toBe('act-1');
  });
});
