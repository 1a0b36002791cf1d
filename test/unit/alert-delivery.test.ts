import { describe, expect, it } from 'vitest';
import { applyBatch, planDelivery, withGapsCarried, type Posted } from '../../src/domain/alert-delivery';
import { alertMessages, buildAlertListView } from '../../src/cards/alert-list-view';
import { findingOf } from './alert-fixture';
import { renderView } from '../../src/cards/presenter';

const NOW = new Date('2026-11-22T06:00:00.000Z');
const HOUR = 3_600_000;
const at = (hours: number) => new Date(NOW.getTime() + hours * HOUR);
const rules = { reminderHours: 24 };

/** What a conversation holds after every batch of a delivery is posted. */
function postAll(posted: Posted, current: Parameters<typeof planDelivery>[1], now: Date): Posted {
  const delivery = planDelivery(posted, current, now, rules);
  return delivery.batches.reduce((s, b) => applyBatch(s, b, now), delivery.unposted);
}

describe('planDelivery', () => {
  const failed = findingOf('failed', 1);
  const expiring = findingOf('secret-expiring', 2);

  it('posts everything open to a new subscriber, then nothing while nothing changes', () => {
    const first = planDelivery({}, [failed, expiring], NOW, rules);
    expect(first.batches).toEqual([{ kind: 'new', findings: [failed, expiring], changed: [] }]);
    const posted = postAll({}, [failed, expiring], NOW);
    expect(planDelivery(posted, [failed, expiring], at(1), rules).batches).toEqual([]);
  });

  it('a secret that expires after it was reported as expiring is a change (same key), not resolved plus new', () => {
    const posted = postAll({}, [expiring], NOW);
    const expired = findingOf('secret-expired', 2);
    expect(expired.key).toBe(expiring.key);
    const next = planDelivery(posted, [expired], at(1), rules);
    expect(next.batches).toEqual([{ kind: 'new', findings: [expired], changed: [expired.key] }]);
  });

  it('announces a resolved finding once, then forgets it', () => {
    const posted = postAll({}, [failed, expiring], NOW);
    const next = planDelivery(posted, [expiring], at(1), rules);
    expect(next.batches).toEqual([{ kind: 'resolved', findings: [failed], changed: [] }]);
    const after = postAll(posted, [expiring], at(1));
    expect(Object.keys(after)).toEqual([expiring.key]);
    expect(planDelivery(after, [expiring], at(2), rules).batches).toEqual([]);
  });

  it('reminds of open findings once per reminder period; a detail text that moves does not count as a change', () => {
    const posted = postAll({}, [expiring], NOW);
    const tomorrow = { ...expiring, detail: 'Its app\'s secret expires in 4 days (2026-11-27).' };
    expect(planDelivery(posted, [tomorrow], at(23), rules).batches).toEqual([]);
    const due = planDelivery(posted, [tomorrow], at(24), rules);
    expect(due.batches).toEqual([{ kind: 'reminder', findings: [tomorrow], changed: [] }]);
    const reminded = postAll(posted, [tomorrow], at(24));
    expect(planDelivery(reminded, [tomorrow], at(47), rules).batches).toEqual([]);
    expect(planDelivery(posted, [tomorrow], at(100), { reminderHours: 0 }).batches).toEqual([]);
  });

  it('keeps what was not posted: an unposted resolved finding is announced next time', () => {
    const posted = postAll({}, [failed], NOW);
    const delivery = planDelivery(posted, [], at(1), rules);
    expect(delivery.unposted[failed.key]).toEqual(posted[failed.key]);
    expect(planDelivery(delivery.unposted, [], at(2), rules).batches.map((b) => b.kind)).toEqual(['resolved']);
  });
});

describe('withGapsCarried', () => {
  const inPayments = findingOf('failed', 1, { project: 'Payments' });
  const secret = findingOf('secret-expiring', 2);
  const unused = findingOf('unused', 3);

  it('keeps previous findings of a project whose list failed, and of connections whose reads failed', () => {
    const kept = withGapsCarried([inPayments, secret, unused], [], { projects: ['payments'], secretsOf: [secret.endpointId.toUpperCase()], historyOf: [unused.endpointId] });
    expect(kept.map((f) => f.key).sort()).toEqual([inPayments.key, secret.key, unused.key].sort());
  });

  it('lets findings resolve where the scan did look', () => {
    expect(withGapsCarried([inPayments, secret, unused], [], { projects: [], secretsOf: [], historyOf: [] })).toEqual([]);
    // A failed Graph read says nothing about a failed connection.
    expect(withGapsCarried([inPayments], [], { projects: [], secretsOf: [inPayments.endpointId], historyOf: [] })).toEqual([]);
  });

  it('never duplicates a finding the scan found again', () => {
    expect(withGapsCarried([inPayments], [inPayments], { projects: ['Payments'], secretsOf: [], historyOf: [] })).toEqual([inPayments]);
  });
});

describe('alertMessages', () => {
  const three = [findingOf('failed', 1), findingOf('secret-expired', 2), findingOf('unused', 3)];

  it('one card per new finding up to digestOver, each recording only its own finding', () => {
    const messages = alertMessages([{ kind: 'new', findings: three, changed: [three[1]!.key] }], { digestOver: 3 });
    expect(messages.map((m) => m.batches[0]?.findings.map((f) => f.key))).toEqual(three.map((f) => [f.key]));
    expect(messages.map((m) => m.reply.text)).toEqual([
      expect.stringMatching(/^Connection failed: sc-1 \(Payments\)/), expect.stringMatching(/^Secret expired: sc-2/), expect.stringMatching(/^Connection unused: sc-3/),
    ]);
    expect(JSON.stringify(renderView(messages[1]!.reply.view))).toContain('Changed');
  });

  it('a digest above digestOver, then the reminder and resolved lists', () => {
    const messages = alertMessages([
      { kind: 'new', findings: three, changed: [] }, { kind: 'reminder', findings: [three[0]!], changed: [] }, { kind: 'resolved', findings: [three[2]!], changed: [] },
    ], { digestOver: 2 });
    expect(messages.map((m) => m.reply.text)).toEqual([
      expect.stringMatching(/^3 new alerts: sc-1, sc-2, sc-3/), 'Still open: 1 alert: sc-1', '1 alert resolved: sc-3',
    ]);
  });

  it('a digest groups the many-connection kinds into one row each and keeps to eight rows, counting the rest', () => {
    const failedMany = Array.from({ length: 12 }, (_, i) => findingOf('failed', 100 + i));
    const soonDisabled = Array.from({ length: 9 }, (_, i) => findingOf('will-be-disabled', 200 + i));
    const unused = Array.from({ length: 4 }, (_, i) => findingOf('unused', 300 + i));
    const view = buildAlertListView('new', [...failedMany, ...soonDisabled, ...unused]);
    expect(view.rows).toHaveLength(8);
    // Six failed connections, each its own row and fix; then one row per grouped kind, which sends nothing.
    expect(view.rows.filter((r) => r.tap)).toHaveLength(6);
    expect(view.rows.slice(-2).map((r) => [r.heading, r.tap])).toEqual([['9 connections about to be disabled', false], ['4 connections unused', false]]);
    expect(view.rows.at(-2)?.text).toContain('and 4 more');
    expect(view.moreText).toMatch(/^…and 6 more\./);
  });

  it('each button is a command the parser accepts, with names quoted', () => {
    const spaced = findingOf('secret-expiring', 9, { name: 'my prod conn', project: 'Data Science' });
    const card = renderView(alertMessages([{ kind: 'new', findings: [spaced], changed: [] }], { digestOver: 3 })[0]!.reply.view) as { actions: Array<{ title: string; data: { command: string } }> };
    expect(card.actions.map((a) => [a.title, a.data.command])).toEqual([
      ['Rotate', 'rotate "my prod conn" in "Data Science"'], ['Convert', 'convert "my prod conn" in "Data Science"'], ['Show', 'show "my prod conn" in "Data Science"'],
    ]);
  });
});
