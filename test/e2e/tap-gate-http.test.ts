/**
 * Findings 7 and 8 (issue 10) through the real bot over HTTP: card taps from a tenant not on the allow-list, from
 * another allowed conversation, or without an Entra object id are refused and show nothing of the plan; the plan
 * still runs once, from its own conversation, with progress only on its own card.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import type { PolicyConfig } from '../../src/domain/policy';
import { TENANT_ID } from '../support/activities';
import { APPROVER, ask, lastCardUpdate, REQUESTER, tap } from '../support/drive-bot';
import { startTestApp, type StartedApp } from '../support/test-app';
import { callsFor, endpointId, HARNESS_TUNING, startHarness, type Harness } from './operations-harness';

const POLICY: PolicyConfig = {
  requesters: { users: [REQUESTER.aadObjectId], groups: [] }, approvers: { users: [APPROVER.aadObjectId], groups: [] },
  conversations: ['*'], tenants: [TENANT_ID], planTtlMinutes: 30, twoApproversOver: 10,
};

let h: Harness;
let connector: ConnectorStandIn;
let app: StartedApp;

beforeAll(async () => {
  h = await startHarness([{ n: 1, name: 'sc-gated' }]);
  connector = new ConnectorStandIn();
  await connector.start();
  app = await startTestApp(h.ports(), { policy: POLICY }, HARNESS_TUNING);
}, 60_000);
afterAll(async () => {
  await app?.close();
  await connector?.close();
  await h?.close();
});

describe('card taps through the gate, over HTTP', () => {
  it('refuses strangers, other conversations and taps without an Entra id; the plan then runs once where it belongs', async () => {
    const preview = await ask(app.url, connector, 'convert sc-gated');
    h.cloud.devops.requests.clear();
    const stranger = await tap(app.url, connector, preview, APPROVER, 'refresh', { tenantId: 'eeeeeeee-0000-4000-8000-00000000000e' });
    expect(stranger.text).toContain('tenant');
    expect(stranger.text).not.toContain('sc-gated');
    const elsewhere = await tap(app.url, connector, preview, APPROVER, 'approve', { conversationId: '19:another-allowed-channel' });
    expect(elsewhere.text).toContain('belongs to another conversation');
    expect(elsewhere.text).not.toContain('sc-gated');
    const noEntra = await tap(app.url, connector, preview, { id: REQUESTER.id, name: REQUESTER.name }, 'reject');
    expect(noEntra.text).toContain('Microsoft Entra');
    await app.approvals.idle();
    expect(callsFor(h.cloud.devops.requests.entries(), endpointId(1)).filter((c) => c.startsWith('PUT'))).toEqual([]);

    expect((await tap(app.url, connector, preview)).text).toMatch(/xecuting/);
    await app.approvals.idle();
    expect(callsFor(h.cloud.devops.requests.entries(), endpointId(1)).filter((c) => c.startsWith('PUT'))).toEqual(['PUT ConvertAuthenticationScheme']);
    expect(lastCardUpdate(connector, preview)).toContain('✅ sc-gated: converted');
    expect(connector.calls.filter((c) => c.kind === 'update' && c.conversationId === '19:another-allowed-channel')).toEqual([]);
  });
});
