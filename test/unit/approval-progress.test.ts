import { describe, expect, it } from 'vitest';
import { fingerprintPlan } from '../../src/domain/audit';
import type { Plan } from '../../src/domain/plan';
import type { RunOptions, RunReport } from '../../src/execution';
import { B, C, cardText, tap, world } from './approval-fixture';
import { bulkConvert } from './plan-card-fixture';
import { NOW, PROJECTS } from './planners-fixture';
import { InMemoryServiceEndpoints } from '../support/in-memory-service-endpoints';
import { ManualClock } from '@scbot/stand-ins/test-kit';
import { EmbeddedStore } from '../../src/store/embedded-store';

describe('progress on the original card', () => {
  it('updates every 10 items (or 2 s on the clock), in order, then shows the outcome', async () => {
    const plan: Plan = { ...bulkConvert(50), id: 'P-PROGRESS' };
    // The stale check reads these connections: the fake DevOps holds exactly what the plan was made from.
    const w = world(new EmbeddedStore(), { devops: new InMemoryServiceEndpoints(PROJECTS, plan.items.map((i) => i.before)), clock: new ManualClock(NOW) });
    const total = plan.items.length;
    // Items settle one by one; the clock moves 100 ms per item and jumps 2 s once, after item 13.
    w.runner.run = async (handed: Plan, options: RunOptions = {}): Promise<RunReport> => {
      const planId = handed.id;
      w.runner.calls.push(planId);
      for (let done = 1; done <= total; done += 1) {
        w.clock.advance(done === 14 ? 2_000 : 100);
        options.onProgress?.(done, total);
      }
      return { planId, items: plan.items.map((i) => ({ endpointId: i.endpointId, name: i.name, status: 'done' as const })), counts: { done: total, failed: 0, skipped: 0 } };
    };
    await w.propose(plan);
    const version = fingerprintPlan(plan);
    await w.service.tap(tap('approve', B, plan, version));
    await w.service.tap(tap('approve', C, plan, version));
    await w.service.idle();
    const titles = w.cards.updates.map((u) => cardText(u.reply).split('\n')[0]);
    const expected = [10, 14, 24].filter((n) => n < total).map((n) => `executing ${n}/${total}`);
    for (const [i, text] of expected.entries()) expect(titles[i]).toContain(text);
    expect(titles.at(-2)).toContain(`executing ${total}/${total}`);
    expect(titles.at(-1)).toBe('✅ 25 connections converted');
    expect(new Set(w.cards.updates.map((u) => u.location.activityId))).toEqual(new Set(['act-card-1']));
  });
});
