import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/commands';
import { AlertRadar, type AlertSettings } from '../../src/alerts/radar';
import { StoreAuditLog } from '../../src/audit/store-audit-log';
import { DEFAULT_THRESHOLDS } from '../../src/domain/findings';
import { DENY_ALL_POLICY, type PolicyConfig } from '../../src/domain/policy';
import { ManualClock } from '@scbot/stand-ins/test-kit';
import { createLogger } from '../../src/logging';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { mutatingContext, run } from './commands-mutating-fixture';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const DANA = '00000000-0000-4000-8000-0000000000d1';
const EVE = '00000000-0000-4000-8000-0000000000e4';
const CHANNEL = '19:platform@thread.tacv2';
const SETTINGS: AlertSettings = { intervalMinutes: 60, reminderHours: 24, digestOver: 3, thresholds: { ...DEFAULT_THRESHOLDS }, checkUnused: true, projects: ['Payments'] };

/** Only requesters change where alerts go; the changes-conversation list does not apply (alerts may go wider). */
const policy: PolicyConfig = { ...DENY_ALL_POLICY, requesters: { users: [DANA], groups: [] }, conversations: ['19:changes-only@thread.tacv2'], tenants: [TENANT] };

function setUp() {
  const store = new EmbeddedStore();
  let scans = 0;
  const radar = new AlertRadar({
    scanner: { scan: async () => { scans += 1; return { findings: [], gaps: { projects: [], secretsOf: [], historyOf: [] }, stats: { calls: { devopsProjects: 0, devopsList: 1, devopsHistory: 0, graph: 0 }, connections: 0, notes: [] } }; } },
    store, clock: new ManualClock('2026-11-22T06:00:00.000Z'), logger: createLogger({ level: 'silent' }), settings: SETTINGS, repeat: () => () => undefined,
    notifier: { post: async () => undefined, update: async () => undefined },
  });
  const turn = (options: { aad?: string; tenant?: string; policy?: PolicyConfig } = {}) => {
    const audit = new StoreAuditLog(store);
    const aad = 'aad' in options ? options.aad : DANA;
    const overrides: Partial<CommandContext> = {
      user: { id: '29:user', name: 'Dana Ops', ...(aad ? { aadObjectId: aad } : {}) },
      conversation: { id: CHANNEL, type: 'channel' },
      place: { conversationId: CHANNEL, tenantId: options.tenant ?? TENANT },
      policy: options.policy ?? policy, audit, alerts: radar,
      conversationReference: { activityId: 'msg-1', serviceUrl: 'https://smba.trafficmanager.net/teams/', conversation: { id: CHANNEL }, channelId: 'msteams' },
    };
    return { ...mutatingContext(overrides), audit };
  };
  return { radar, store, turn, scans: () => scans };
}

describe('alerts command', () => {
  it('on → subscribed with the conversation reference (minus the activity it answered), status → on; off → gone', async () => {
    const { radar, turn } = setUp();
    const { ctx } = turn();
    expect((await run('alerts on', ctx)).text).toContain('Alerts are on in this conversation.');
    const status = await radar.status(CHANNEL);
    expect(status.subscription).toMatchObject({ conversationId: CHANNEL, subscribedBy: { name: 'Dana Ops', aadObjectId: DANA }, reference: { serviceUrl: 'https://smba.trafficmanager.net/teams/' } });
    expect(status.subscription?.reference).not.toHaveProperty('activityId');
    expect((await run('alerts on', ctx)).text).toContain('Alerts were already on here');
    expect((await run('alerts', ctx)).text).toContain('Alerts are on in this conversation');
    expect((await run('alerts off', ctx)).text).toContain('Alerts are off in this conversation.');
    expect((await radar.status(CHANNEL)).subscription).toBeUndefined();
    expect((await run('alerts off', ctx)).text).toContain('Alerts were not on in this conversation.');
  });

  it.each([
    ['someone who is not a requester', { aad: EVE }, 'You are not allowed to request changes.'],
    ['no Entra object id', { aad: undefined }, 'You are not allowed to request changes.'],
    ['another tenant', { tenant: '99999999-9999-4999-8999-999999999999' }, 'Your organization (tenant) is not allowed to use this bot.'],
    ['the default-deny policy', { policy: DENY_ALL_POLICY }, 'Your organization (tenant) is not allowed to use this bot.'],
  ])('refuses on / off / scan for %s, audited (counted for strangers), nothing changed', async (_label, options, sentence) => {
    const { radar, turn, scans } = setUp();
    await radar.subscribe({ conversationId: CHANNEL, reference: {}, subscribedBy: { name: 'Dana' }, subscribedAt: '2026-11-22T06:00:00.000Z' });
    const { ctx, audit } = turn(options);
    for (const command of ['alerts on', 'alerts off', 'alerts scan']) {
      const reply = await run(command, ctx);
      expect(reply.text).toContain(sentence);
      expect(reply.text).toContain(`(\`${command}\` was not run.)`);
      expect(reply.text).toMatch(/Reference: R-[A-Z0-9]{8}$/);
    }
    expect((await radar.status(CHANNEL)).subscription).toMatchObject({ subscribedBy: { name: 'Dana' } });
    expect(scans()).toBe(0);
    if (sentence.includes('(tenant)')) {
      // Outside the tenant allow-list a refusal is counted, one record per tenant per hour, not one event each.
      expect(await audit.query()).toEqual([]);
      expect(await audit.refusalCounts()).toMatchObject([{ count: 3, reasons: { TENANT_NOT_ALLOWED: 3 } }]);
    } else {
      expect((await audit.query()).map((e) => [e.kind, e.command])).toEqual([['refused', 'alerts scan'], ['refused', 'alerts off'], ['refused', 'alerts on']]);
    }
  });

  it('status stays readable to anyone the tenant allows (it shows what `list` shows)', async () => {
    const { turn } = setUp();
    expect((await run('alerts status', turn({ aad: EVE }).ctx)).text).toContain('Alerts are off in this conversation');
  });

  it('scan starts a scan in the background and says where its findings go', async () => {
    const { radar, turn, scans } = setUp();
    const reply = await run('alerts scan', turn().ctx);
    expect(reply.text).toContain('Scanning now.');
    expect(reply.text).toContain('This conversation is not subscribed');
    await radar.idle();
    expect(scans()).toBe(1);
    expect((await radar.status(CHANNEL)).lastScan).toMatchObject({ ok: true, findings: [] });
  });

  it('bad input: the usage, nothing done', async () => {
    const { radar, turn } = setUp();
    const reply = await run('alerts please on', turn().ctx);
    expect(reply.text).toBe('Say `alerts on [in <project>]`, `alerts off`, `alerts status` or `alerts scan`. Usage: `alerts [on [in <project>]|off|status|scan]`. Examples: `alerts status`, `alerts on`, `alerts on in Payments`, `alerts scan`, `alerts off`.');
    for (const line of ['alerts off in Payments', 'alerts on Payments', 'alerts on in']) expect((await run(line, turn().ctx)).text).toMatch(/Usage: `alerts/);
    expect((await radar.status(CHANNEL)).subscription).toBeUndefined();
  });

  it('alerts on in <project>: only that project, checked against what the bot watches; a new scope starts afresh', async () => {
    const { radar, store, turn } = setUp();
    const reply = await run('alerts on in payments', turn().ctx);
    expect(reply.text).toContain('Alerts are on in this conversation for Payments.');
    expect((await radar.status(CHANNEL)).subscription?.projects).toEqual(['Payments']);
    await store.put('alert-posted', CHANNEL, { 'failed:x': { finding: {}, postedAt: '2026-11-22T06:00:00.000Z' } });
    const wider = await run('alerts on', turn().ctx);
    expect(wider.text).toContain('Alerts were already on here; I keep posting here.');
    expect((await radar.status(CHANNEL)).subscription?.projects).toBeUndefined();
    expect(await store.get('alert-posted', CHANNEL)).toBeUndefined();

    const unknown = await run('alerts on in Paymnts', turn().ctx);
    expect(unknown.text).toContain('I don\'t look at a project called "Paymnts".');
    expect(unknown.text).toContain('Did you mean `Payments`?');
    expect((await radar.status(CHANNEL)).subscription?.projects).toBeUndefined();
  });
});
