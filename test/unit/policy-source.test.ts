/**
 * PolicySource: an unusable file refuses to start; on reload a good file replaces the policy, a bad or unreadable
 * one keeps the last valid policy and is reported once (event and status), the poll and the watch both trigger it.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '@scbot/stand-ins';
import { isAppError } from '../../src/domain/errors';
import { PolicySource, type PolicyEvent } from '../../src/policy/policy-source';
import { OPERATIONS, POLICY_YAML } from './policy-fixture';

function harness(initial: string | Error) {
  let content: string | Error = initial;
  const events: PolicyEvent[] = [];
  const ticks: Array<() => void> = [];
  const watches: Array<() => void> = [];
  const clock = new ManualClock();
  const open = () => PolicySource.open({
    path: '/etc/scbot/policy.yaml', operations: OPERATIONS, clock, pollMs: 10_000, onEvent: (e) => events.push(e),
    read: async () => { if (content instanceof Error) throw content; return content; },
    every: (_ms, run) => { ticks.push(run); return () => ticks.splice(ticks.indexOf(run), 1); },
    watch: (_path, changed) => { watches.push(changed); return () => watches.splice(watches.indexOf(changed), 1); },
  });
  return { open, events, ticks, watches, clock, write: (next: string | Error) => { content = next; } };
}

const BROKEN = POLICY_YAML.replace('approvals: 1\n    devOpsRole', 'approvals: 99\n    devOpsRole');
const enoent = Object.assign(new Error('ENOENT: no such file or directory, open /etc/scbot/policy.yaml (with details)'), { code: 'ENOENT' });

describe('PolicySource', () => {
  it('refuses to start on an invalid or unreadable file, naming the line and field (never the error message)', async () => {
    const bad = await harness(BROKEN).open().catch((e: unknown) => e);
    expect(isAppError(bad) && bad.code).toBe('CONFIG.INVALID');
    expect((bad as Error).message).toContain('line 12, rules[1] (payments-team).approvals: must be at most 10');
    const missing = await harness(enoent).open().catch((e: unknown) => e);
    expect((missing as Error).message).toContain('the file cannot be read (ENOENT)');
    expect((missing as Error).message).not.toContain('with details');
  });

  it('a reload with a bad file keeps the last valid policy and says so once; a good one replaces it', async () => {
    const h = harness(POLICY_YAML);
    const source = await h.open();
    const first = source.current().version;
    h.write(BROKEN);
    await source.reload();
    await source.reload();
    expect(source.current().version).toBe(first);
    expect(source.status().rejected?.problems).toEqual(['line 12, rules[1] (payments-team).approvals: must be at most 10']);
    expect(h.events).toEqual([{ kind: 'rejected', keptVersion: first, problems: ['line 12, rules[1] (payments-team).approvals: must be at most 10'] }]);
    h.clock.advance(5_000);
    h.write(`${POLICY_YAML}# edited\n`);
    await source.reload();
    expect(source.current().version).not.toBe(first);
    expect(source.status()).toEqual({ version: source.current().version, origin: 'file', path: '/etc/scbot/policy.yaml', loadedAt: h.clock.now() });
    expect(h.events[1]).toEqual({ kind: 'reloaded', version: source.current().version, previous: first });
  });

  it('a file that disappears keeps the policy too; the poll and the watch both reload, and stop() ends them', async () => {
    const h = harness(POLICY_YAML);
    const source = await h.open();
    source.start();
    expect([h.ticks.length, h.watches.length]).toEqual([1, 1]);
    h.write(enoent);
    h.ticks[0]!();
    await source.reload();
    expect(source.status().rejected?.problems).toEqual(['the file cannot be read (ENOENT)']);
    h.write(POLICY_YAML.replace('approvals: 1\n    devOpsRole', 'approvals: 2\n    devOpsRole'));
    h.watches[0]!();
    await source.reload();
    expect(source.current().rules.find((r) => r.name === 'payments-team')?.approvals).toBe(2);
    source.stop();
    expect([h.ticks.length, h.watches.length]).toEqual([0, 0]);
  });

  it('without a file: today\'s settings, fixed', async () => {
    const clock = new ManualClock();
    const source = PolicySource.fixed({ version: 'settings:x', origin: 'settings', rules: [], freezes: [] }, clock);
    source.start();
    await source.reload();
    expect(source.status()).toEqual({ version: 'settings:x', origin: 'settings', loadedAt: clock.now() });
  });
});
