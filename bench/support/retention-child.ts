/**
 * One run of bench/retention.ts in a fresh process (so its RSS is only this): an embedded store on disk, a
 * baseline (modules loaded, one proposal made and swept), then `count` proposals nobody approves, each as the
 * bot stores one (plan header and parts, approval record, `requested` audit event); then retention sweeps once
 * the proposals expired, and again after the audit period. Disk size and RSS (after a GC) at each stage.
 * argv[2]: state directory; argv[3]: count. Prints one JSON line.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ApprovalRecords } from '../../src/approvals/approval-records';
import { newApprovalRecord } from '../../src/domain/approval';
import { newAuditId } from '../../src/audit/audit-id';
import { StoreAuditLog } from '../../src/audit/store-audit-log';
import { auditEventForRequested } from '../../src/domain/audit';
import { planConvert } from '../../src/operations/convert/convert.planner';
import { DENY_ALL_POLICY } from '../../src/domain/policy';
import { ManualClock } from '@scbot/stand-ins/test-kit';
import { StorePlanRepository } from '../../src/plans/store-plan-repository';
import { RETENTION_DEFAULTS, RetentionSweeper } from '../../src/retention/retention-sweeper';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { convertibleSeed } from './convertible-seed';
import { DAY_MS as DAY } from '../../src/domain/time';

const [dir = '', countArg = '10000'] = process.argv.slice(2);
const count = Number(countArg);
const clock = new ManualClock('2026-11-22T06:00:00.000Z');
const store = new EmbeddedStore({ dir });
const plans = new StorePlanRepository(store);
const records = new ApprovalRecords(store);
const audit = new StoreAuditLog(store);
const sweeper = new RetentionSweeper({ store, plans, clock, settings: RETENTION_DEFAULTS, logger: { info: () => undefined, warn: () => undefined } });
const { project, seed } = convertibleSeed(5);
const targets = seed.endpoints.map((endpoint) => ({ endpoint, project, history: [] }));
const meta = () => ({ id: newAuditId(), at: clock.now(), actor: { id: '29:dana', name: 'Dana' }, conversation: { id: '19:c', type: 'channel' }, correlationId: 'bench' });

async function propose(n: number): Promise<void> {
  const plan = planConvert({ id: `P-${String(n).padStart(8, '0')}`, command: 'convert all', now: clock.now(), targets });
  await plans.save(plan);
  await records.create(newApprovalRecord(plan, { id: '29:dana', name: 'Dana' }, { id: '19:c', type: 'channel' }, { ...DENY_ALL_POLICY, planTtlMinutes: 30 }, clock.now()));
  await audit.append(auditEventForRequested(plan, meta()));
}

async function diskBytes(at: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(at, { withFileTypes: true }).catch(() => [])) {
    const full = path.join(at, entry.name);
    total += entry.isDirectory() ? await diskBytes(full) : (await stat(full)).size;
  }
  return total;
}

async function measure(stage: string, extra: Record<string, unknown> = {}) {
  // Disk first: walking the directory allocates, and the GC must see that garbage before memory is read.
  const bytes = await diskBytes(dir);
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { stage, diskBytes: bytes, rss, heapUsed, ...extra };
}

const started = Date.now();
await propose(0);
clock.advance(31 * 60_000);
await sweeper.sweep();
const stages = [await measure('baseline')];
for (let n = 1; n <= count; n += 1) await propose(n);
stages.push(await measure('proposals stored', { seconds: (Date.now() - started) / 1000 }));
clock.advance(31 * 60_000);
const first = await sweeper.sweep();
stages.push(await measure('after retention (expired proposals)', { purged: first }));
clock.advance(RETENTION_DEFAULTS.auditDays * DAY);
const second = await sweeper.sweep();
stages.push(await measure('after the audit period', { purged: second }));
console.log(JSON.stringify({ count, stages, seconds: (Date.now() - started) / 1000 }));
