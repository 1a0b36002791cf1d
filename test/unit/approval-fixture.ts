import { StoreAuditLog } from '../../src/audit/store-audit-log';
import { ApprovalService } from '../../src/approvals/approval-service';
import type { CommandCardReply, PlanRunner, Tap } from '../../src/approvals/types';
import type { Notifier } from '../../src/notify/notifier.port';
import type { CardLocation } from '../../src/domain/approval';
import type { AuditKind } from '../../src/domain/audit';
import type { Plan } from '../../src/domain/plan';
import { ANYONE, type PolicyConfig } from '../../src/domain/policy';
import { InMemoryServiceEndpoints } from '../support/in-memory-service-endpoints';
import { ManualClock } from '@scbot/stand-ins/test-kit';
import type { RunOptions, RunReport } from '../../src/execution';
import { StorePlanRepository } from '../../src/plans/store-plan-repository';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { ENDPOINTS, NOW, PROJECTS } from './planners-fixture';
import { renderView } from '../../src/cards/presenter';

export const A = { id: '29:a', name: 'Avery (requester)', aadObjectId: 'aaaaaaaa-0000-4000-8000-00000000000a' };
export const B = { id: '29:b', name: 'Blake (approver)', aadObjectId: 'bbbbbbbb-0000-4000-8000-00000000000b' };
export const C = { id: '29:c', name: 'Casey (approver)', aadObjectId: 'cccccccc-0000-4000-8000-00000000000c' };
export const D = { id: '29:d', name: 'Devon (not allowed)', aadObjectId: 'dddddddd-0000-4000-8000-00000000000d' };
export const CONVERSATION = { id: '19:ops-channel', type: 'channel', tenantId: 'tttttttt-0000-4000-8000-000000000001' };

export const POLICY: PolicyConfig = {
  requesters: { users: [A.aadObjectId], groups: [] },
  approvers: { users: [B.aadObjectId, C.aadObjectId, A.aadObjectId], groups: [] },
  conversations: [ANYONE], tenants: [ANYONE], planTtlMinutes: 30, twoApproversOver: 10,
};

/** A runner that records its calls, reports every planned item done (or failed when listed) and can be held. */
export class FakeRunner implements PlanRunner {
  readonly calls: string[] = [];
  failIds = new Set<string>();
  gate: Promise<void> = Promise.resolve();

  async run(plan: Plan, options: RunOptions = {}): Promise<RunReport> {
    this.calls.push(plan.id);
    await this.gate;
    const items = plan.items.map((i) => ({ endpointId: i.endpointId, name: i.name, status: this.failIds.has(i.endpointId) ? 'failed' as const : 'done' as const }));
    items.forEach((_, n) => options.onProgress?.(n + 1, items.length));
    const counts = { done: items.filter((i) => i.status === 'done').length, failed: items.filter((i) => i.status === 'failed').length, skipped: 0 };
    return { planId: plan.id, items, counts };
  }
}

export class RecordingCards implements Notifier {
  async post(): Promise<void> {
    throw new Error('approvals only update cards');
  }

  readonly updates: Array<{ location: CardLocation; reply: CommandCardReply }> = [];
  async update(location: CardLocation, reply: CommandCardReply): Promise<void> {
    this.updates.push({ location, reply });
  }
}

export function world(store = new EmbeddedStore(), shared?: { devops: InMemoryServiceEndpoints; clock: ManualClock }, policy: PolicyConfig = POLICY) {
  const clock = shared?.clock ?? new ManualClock(NOW);
  const devops = shared?.devops ?? new InMemoryServiceEndpoints(PROJECTS, ENDPOINTS);
  const plans = new StorePlanRepository(store);
  const audit = new StoreAuditLog(store);
  const runner = new FakeRunner();
  const cards = new RecordingCards();
  const service = new ApprovalService({ store, plans, audit, devops, clock, policy, runner, notifier: cards });
  const propose = async (plan: Plan) => {
    await plans.save(plan);
    return service.propose(plan, A, CONVERSATION);
  };
  const kinds = async (): Promise<Array<{ kind: AuditKind; reason?: string; actor: string }>> =>
    (await audit.query()).reverse().map((e) => ({ kind: e.kind, actor: e.actor.id, ...(e.reason ? { reason: e.reason } : {}) }));
  return { store, clock, devops, plans, audit, runner, cards, service, propose, kinds };
}

export function tap(verb: string, user: typeof A, plan: Plan, version: string, card = true): Tap {
  return {
    verb, data: { planId: plan.id, version }, user, conversation: CONVERSATION,
    ...(card ? { card: { activityId: 'act-card-1', conversation: { conversation: { id: CONVERSATION.id } } } } : {}),
  };
}

/** The text of every TextBlock on a card, joined: what a user reads. */
export function cardText(reply: CommandCardReply): string {
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const n = node as Record<string, unknown>;
      if (n.type === 'TextBlock' && typeof n.text === 'string') texts.push(n.text);
      Object.values(n).forEach(walk);
    }
  };
  walk(renderView(reply.view));
  return texts.join('\n');
}

/** The Action.Execute verbs a card offers. */
/** The plan buttons' verbs (buttons that run a chat command, verb `command`, are not plan actions). */
export function verbs(reply: CommandCardReply): string[] {
  return ((renderView(reply.view).actions ?? []) as Array<{ type: string; verb?: string }>).filter((a) => a.type === 'Action.Execute' && a.verb !== 'command').map((a) => a.verb ?? '');
}
