/**
 * Two bot instances on one Azurite table (issue 4 §5): each has its own ApprovalService, Executor and HTTP
 * server, and they share only the AzureTableStore, the local cloud and the bot's ManualClock. Concurrent and
 * duplicate taps across both instances execute a plan once; a plan abandoned mid-bulk by instance 1 is left
 * alone by instance 2 while 1's run lease is current, and resumed after it lapses without repeating an item.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type StartedApp as RunningApp } from '../support/test-app';
import type { ApprovalService } from '../../src/approvals/approval-service';
import { StoreAuditLog } from '../../src/audit/store-audit-log';
import { ANYONE, type PolicyConfig } from '../../src/domain/policy';
import type { ServiceEndpoints } from '../../src/devops/service-endpoints.port';
import { createStore } from '../../src/store/store-factory';
import type { Store } from '../../src/store/store.port';
import { channelMention, postActivity } from '../support/activities';
import { startAzuriteTables, type AzuriteTables } from '../support/azurite';
import { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import { callsFor, endpointId, HARNESS_TUNING, startHarness, type Harness } from './operations-harness';
import type { AlertRadar } from '../../src/alerts/radar';

const A = { id: '29:user-a', name: 'Avery Requester', aadObjectId: 'aaaaaaaa-0000-4000-8000-00000000000a' };
const B = { id: '29:user-b', name: 'Blake Approver', aadObjectId: 'bbbbbbbb-0000-4000-8000-00000000000b' };
const C = { id: '29:user-c', name: 'Casey Approver', aadObjectId: 'cccccccc-0000-4000-8000-00000000000c' };
type User = typeof A;

const POLICY: PolicyConfig = {
  requesters: { users: [A.aadObjectId], groups: [] },
  approvers: { users: [B.aadObjectId, C.aadObjectId], groups: [] },
  conversations: [ANYONE], tenants: [ANYONE], planTtlMinutes: 30, twoApproversOver: 50,
};
const CONNECTIONS = [1, 2, 3, 4, 5];
const RUN_LEASE_MS = 60_000;

/** Instance 1's DevOps client for execution: once armed, the Nth scheme conversion never returns (a crash). */
class Crashing {
  conversions = 0;
  crashAt = Infinity;
  crashed!: Promise<void>;
  private reached!: () => void;

  constructor(private readonly inner: ServiceEndpoints) {
    this.arm(Infinity);
  }

  arm(crashAt: number): void {
    this.crashAt = crashAt;
    this.crashed = new Promise((resolve) => { this.reached = resolve; });
  }

  wrap(): ServiceEndpoints {
    return new Proxy(this.inner, {
      get: (target, prop, receiver) => {
        if (prop !== 'update') return Reflect.get(target, prop, receiver) as unknown;
        return (endpoint: Parameters<ServiceEndpoints['update']>[0], operation?: string) => {
          if (operation && (this.conversions += 1) >= this.crashAt) {
            this.reached();
            return new Promise<never>(() => undefined);
          }
          return target.update(endpoint, operation);
        };
      },
    });
  }
}

interface Instance { app: RunningApp; approvals: ApprovalService }

let h: Harness;
let azurite: AzuriteTables;
let store: Store;
let connector: ConnectorStandIn;
let audit: StoreAuditLog;
let crashing: Crashing;
let one: Instance;
let two: Instance;

async function startInstance(owner: string, devops: ServiceEndpoints, renew: boolean): Promise<Instance> {
  // Instance 1 stands for a process that may die: its lease is never renewed, as a dead process's would not be.
  const app = await startTestApp(h.ports({ store, devops }), { policy: POLICY, executorConcurrency: 1 }, {
    ...HARNESS_TUNING, owner, runLease: { leaseMs: RUN_LEASE_MS, ...(renew ? {} : { repeat: () => () => undefined }) },
  });
  return { app, approvals: app.approvals };
}

beforeAll(async () => {
  azurite = await startAzuriteTables();
  h = await startHarness([{ n: 1, name: 'sc-prod' }, { n: 2, name: 'sc-a' }, { n: 3, name: 'sc-b' }, { n: 4, name: 'sc-c' }, { n: 5, name: 'sc-d' }]);
  // Built from configuration, exactly as bot/main.ts does with SCBOT_STORAGE_CONNECTION_STRING.
  store = createStore({ storage: { kind: 'connection-string', connectionString: azurite.connectionString, table: 'scbottwo' } }, { getToken: async () => null });
  audit = new StoreAuditLog(store);
  connector = new ConnectorStandIn();
  await connector.start();
  crashing = new Crashing(h.newAdapter());
  one = await startInstance('instance-1', crashing.wrap(), false);
  two = await startInstance('instance-2', h.newAdapter(), true);
}, 60_000);

afterAll(async () => {
  await two?.approvals.idle();
  await one?.app.close();
  await two?.app.close();
  await connector?.close();
  await h?.close();
  await azurite?.stop();
});

interface Preview { planId: string; version: string; conversationId: string; cardId: string }

async function ask(instance: Instance, command: string): Promise<Preview> {
  const conversationId = `19:ops-${randomUUID()};messageid=1`;
  const replies = connector.nextReplies(conversationId);
  const activity = { ...channelMention(command, { serviceUrl: connector.serviceUrl, conversationId }), from: { ...A } };
  expect((await postActivity(instance.app.url, activity)).status).toBe(200);
  const [reply] = await replies;
  const card = (reply!.body.attachments as Array<{ content: { actions: Array<{ verb?: string; data?: { planId: string; version: string } }> } }>)[0]!.content;
  const data = card.actions.find((a) => a.verb === 'approve')!.data!;
  return { ...data, conversationId, cardId: `act-card-${randomUUID()}` };
}

async function tap(instance: Instance, user: User, preview: Preview): Promise<{ status: number; text: string }> {
  const base = channelMention('', { serviceUrl: connector.serviceUrl, conversationId: preview.conversationId });
  const invoke = {
    ...base, type: 'invoke', name: 'adaptiveCard/action', text: undefined, entities: undefined, from: { ...user }, replyToId: preview.cardId,
    value: { action: { type: 'Action.Execute', verb: 'approve', data: { planId: preview.planId, version: preview.version } }, trigger: 'manual' },
  };
  const response = await postActivity(instance.app.url, invoke);
  return { status: response.status, text: JSON.stringify(await response.json()) };
}

const devopsCalls = (n: number) => callsFor(h.cloud.devops.requests.entries(), endpointId(n)).filter((c) => c.startsWith('PUT'));
const addPasswords = () => h.cloud.graph.requests.filter((r) => r.method === 'POST' && /addPassword$/i.test(r.path)).length;
const kinds = async (planId: string) => (await audit.query({ planId })).map((e) => e.kind);
const stateOf = async (planId: string) => (await store.get<{ state: string }>('approvals', planId))?.value.state;

describe('two bot instances sharing one Azure Table', () => {
  it('approvals tapped concurrently on both instances, with duplicate bursts, execute the plan exactly once', async () => {
    const preview = await ask(one, 'rotate sc-prod');
    h.cloud.devops.requests.clear();
    const graphBefore = addPasswords();
    const taps = [
      tap(one, B, preview), tap(two, C, preview),
      ...Array.from({ length: 5 }, () => tap(one, B, preview)), ...Array.from({ length: 5 }, () => tap(two, C, preview)),
    ];
    const answers = await Promise.all(taps);
    await Promise.all([one.approvals.idle(), two.approvals.idle()]);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      // Every tap answers with the plan's card: approved/executing or its outcome, never an error.
      expect(answer.text).toMatch(/Approved by|Executing|executing|Run by scbot/);
    }
    expect(devopsCalls(1)).toEqual(['PUT']);
    expect(addPasswords() - graphBefore).toBe(1);
    const events = await kinds(preview.planId);
    expect(events.filter((k) => k === 'approved')).toHaveLength(1);
    expect(events.filter((k) => k === 'executed')).toHaveLength(1);
  });

  it('a plan abandoned mid-bulk by instance 1 waits for its run lease, then instance 2 finishes it without repeats', async () => {
    const preview = await ask(one, 'convert all');
    h.cloud.devops.requests.clear();
    const planned = (await one.app.services.plans.get(preview.planId))!.items.map((i) => i.endpointId);
    expect(planned.length).toBeGreaterThanOrEqual(4);
    crashing.arm(crashing.conversions + 3);
    expect((await tap(one, B, preview)).status).toBe(200);
    await crashing.crashed; // two conversions done, the third never returns: instance 1 is "dead" mid-bulk
    expect(await stateOf(preview.planId)).toBe('executing');

    // Instance 2 restarts while 1's lease is current: it must leave the plan alone.
    expect(await two.approvals.resume()).toContain(preview.planId);
    await two.approvals.idle();
    expect(CONNECTIONS.filter((n) => devopsCalls(n).length > 0)).toHaveLength(2);

    // Past both the run lease and the executor's item lease (5 min): the run is abandoned and may be taken over.
    h.clock.advance(6 * 60_000);
    expect(await two.approvals.resume()).toContain(preview.planId);
    await two.approvals.idle();
    // Each planned connection converted exactly once: the two instance 1 finished were not repeated.
    for (const n of CONNECTIONS) expect(devopsCalls(n)).toEqual(planned.includes(endpointId(n)) ? ['PUT ConvertAuthenticationScheme'] : []);
    expect(await stateOf(preview.planId)).toBe('done');
    const executed = (await audit.query({ planId: preview.planId })).filter((e) => e.kind === 'executed');
    expect(executed.flatMap((e) => e.connections.map((c) => c.endpointId)).sort()).toEqual([...planned].sort());
  });
});

describe('two bot instances sharing one Azure Table: the alerts radar', () => {
  const ALERTS = { scanMinutes: 30, expiryDays: 14, unusedDays: 0, revertHours: 72, reminderHours: 24, digestOver: 3, disableWarnDays: 0, openAccess: false, scanCallBudget: 1000 };
  const CHANNEL = `19:alerts-${randomUUID()}@thread.tacv2`;
  let radars: AlertRadar[] = [];
  let apps: RunningApp[] = [];

  beforeAll(async () => {
    // Each instance: its own radar (own lease owner), scanner, DevOps client and HTTP server with its poster.
    // The radars are ticked by hand (runIfDue), never by a timer.
    apps = await Promise.all([1, 2].map(() => startTestApp(h.ports({ store, devops: h.newAdapter() }), { alerts: ALERTS, policy: POLICY }, { repeat: () => () => undefined })));
    radars = apps.map((app) => app.alerts);
  });
  afterAll(async () => {
    await Promise.all(radars.map((r) => r.idle()));
    await Promise.all(apps.map((a) => a.close()));
  });

  const listCalls = () => h.cloud.devops.requests.entries().filter((r) => r.method === 'GET' && /\/_apis\/serviceendpoint\/endpoints$/.test(r.path) 
    && Object.entries(r.query).some(([key, value]) => key.toLowerCase() === 'includefailed' && value === 'true'));
  const posts = () => connector.calls.filter((c) => c.kind === 'send' && c.conversationId === CHANNEL);

  it('both instances ticking at once make one scan and one post per interval', async () => {
    const on = { ...channelMention('alerts on', { serviceUrl: connector.serviceUrl, conversationId: CHANNEL }), from: { ...A } };
    const replied = connector.nextReplies(CHANNEL);
    expect((await postActivity(apps[1]!.url, on)).status).toBe(200);
    expect(String((await replied)[0]!.body.text ?? (await replied)[0]!.body.summary)).toContain('Alerts are on in this conversation.');
    h.cloud.devops.state.setStatus(endpointId(3), { isReady: false, state: 'Failed', statusMessage: 'Failed to obtain the JSON Web Token (JWT).' });
    h.cloud.devops.requests.clear();

    // The timers of both instances fire together, three times in the same interval.
    const outcomes = [];
    for (let tick = 0; tick < 3; tick += 1) outcomes.push(...await Promise.all(radars.map((r) => r.runIfDue())));
    expect(outcomes.filter((o) => o.kind === 'scanned')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'busy' || o.kind === 'not-due')).toHaveLength(5);
    // One list per project (Payments, Platform), once.
    expect(listCalls()).toHaveLength(2);
    expect(posts()).toHaveLength(1);
    expect(JSON.stringify(posts()[0]!.body)).toContain('Connection failed: sc-b');

    // The next interval: again one scan between them, whichever instance gets there first, and nothing new to post.
    h.clock.advance(30 * 60_000);
    const next = await Promise.all([...radars, ...radars].map((r) => r.runIfDue()));
    expect(next.filter((o) => o.kind === 'scanned')).toHaveLength(1);
    expect(listCalls()).toHaveLength(4);
    expect(posts()).toHaveLength(1);

    // Fixed: the scan after the next interval announces it once.
    h.cloud.devops.state.setStatus(endpointId(3), { isReady: true, state: 'Ready' });
    h.clock.advance(30 * 60_000);
    await Promise.all(radars.map((r) => r.runIfDue()));
    expect(posts()).toHaveLength(2);
    expect(JSON.stringify(posts()[1]!.body)).toContain('1 alert resolved');
    expect(await store.get('run-leases', 'alert-scan')).toBeUndefined();
  });
});
