import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@scbot/stand-ins/test-kit';
import { POSTED, POSTED_PARTS, SCAN_PARTS, SCANS } from '../../src/alerts/alert-store';
import { AlertRadar, type AlertSettings, type FindingsScanner } from '../../src/alerts/radar';
import type { ScanResult } from '../../src/alerts/scanner';
import { DEFAULT_THRESHOLDS, type Finding } from '../../src/domain/findings';
import { createLogger } from '../../src/logging';
import type { ConversationAddress, Notifier } from '../../src/notify/notifier.port';
import { AzureTableStore } from '../../src/store/azure-table-store';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { PART_BUDGET } from '../../src/store/record-parts';
import type { Store } from '../../src/store/store.port';
import { startAzuriteTables, type AzuriteTables } from '../support/azurite';
import { findingOf, KINDS } from '../unit/alert-fixture';

/**
 * Issue 20, finding 4: the radar at realistic size on every Store. 5,000 findings for one conversation used to
 * exceed one Azure Table entity (the posted record and the last scan), so every scan failed after posting and the
 * same digest went out again each time. Two scans: the first posts each conversation its digest, the second
 * posts nothing new; the last scan is recorded, whole.
 */
const COUNT = 5_000;
const SETTINGS: AlertSettings = { intervalMinutes: 60, reminderHours: 24, digestOver: 3, thresholds: { ...DEFAULT_THRESHOLDS }, checkUnused: false, projects: [] };
const logger = createLogger({ level: 'silent' });
/** Long Unicode names: as the table codec stores them (\uXXXX escapes), the heaviest findings there are. */
const findings: Finding[] = Array.from({ length: COUNT }, (_, n) => findingOf(KINDS[n % KINDS.length] ?? 'failed', n, { name: `Zählerstand – 接続 – 🚀 payments-westeurope-${n}` }));

class FixedScanner implements FindingsScanner {
  async scan(): Promise<ScanResult> {
    return { findings: [...findings], gaps: { projects: [], secretsOf: [], historyOf: [] }, stats: { calls: { devopsProjects: 1, devopsList: 2, devopsHistory: 0, graph: 0 }, connections: COUNT, notes: [] } };
  }
}

class CountingNotifier implements Notifier {
  readonly posts: string[] = [];
  async post(to: ConversationAddress): Promise<void> {
    this.posts.push(to.conversationId);
  }
  async update(): Promise<void> {}
}

const subscription = (conversationId: string, projects?: string[]) => ({
  conversationId, reference: { conversation: { id: conversationId } }, subscribedBy: { name: 'Dana' }, subscribedAt: '2026-11-22T05:00:00.000Z', ...(projects ? { projects } : {}),
});

function describeLargeRadar(name: string, open: () => Store): void {
  describe(`the radar with ${COUNT} findings: ${name}`, () => {
    it('two scans: the first posts each conversation once, the second nothing; the last scan is recorded whole', async () => {
      const store = open();
      const clock = new ManualClock('2026-11-22T06:00:00.000Z');
      const notifier = new CountingNotifier();
      const radar = new AlertRadar({ scanner: new FixedScanner(), store, clock, logger, settings: SETTINGS, notifier, owner: 'a', repeat: () => () => undefined });
      await radar.subscribe(subscription('19:ops@thread.tacv2'));
      await radar.subscribe(subscription('19:payments@thread.tacv2', ['Payments']));

      expect(await radar.runNow()).toMatchObject({ kind: 'scanned', findings: COUNT, conversations: 2, posts: 2, failedPosts: 0 });
      expect(notifier.posts.sort()).toEqual(['19:ops@thread.tacv2', '19:payments@thread.tacv2']);
      const status = await radar.status('19:ops@thread.tacv2');
      expect(status.lastScan).toMatchObject({ ok: true, delivered: { conversations: 2, posts: 2, failedPosts: 0 } });
      expect(status.lastScan?.findings).toEqual([...findings].sort((a, b) => a.key.localeCompare(b.key)));

      clock.advance(61 * 60_000);
      expect(await radar.runIfDue()).toMatchObject({ kind: 'scanned', findings: COUNT, posts: 0, failedPosts: 0 });
      expect(notifier.posts).toHaveLength(2);
      // Headers stay small; the findings are in parts of the usual budget (one generation each: the old ones went).
      for (const headers of [POSTED, SCANS]) for (const { value } of await store.list(headers)) expect(JSON.stringify(value).length).toBeLessThan(2_000);
      for (const parts of [POSTED_PARTS, SCAN_PARTS]) {
        const stored = await store.list(parts);
        expect(stored.length).toBeGreaterThan(10);
        for (const { value } of stored) expect(JSON.stringify(value).length).toBeLessThanOrEqual(PART_BUDGET + 2_000);
      }
      expect(new Set((await store.keys(SCAN_PARTS)).map((k) => k.split('/')[1])).size).toBe(1);
    }, 300_000);
  });
}

describeLargeRadar('EmbeddedStore', () => new EmbeddedStore());

let azurite: AzuriteTables | undefined;
beforeAll(async () => {
  azurite = await startAzuriteTables();
});
afterAll(async () => {
  await azurite?.stop();
});
describeLargeRadar('AzureTableStore on Azurite', () => AzureTableStore.fromConnectionString((azurite as AzuriteTables).connectionString, `t${randomUUID().replace(/-/g, '')}`));
