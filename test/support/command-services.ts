/**
 * What a command test runs with: the services every command gets (all of them; policy allows everything, stated
 * here rather than left out) and one turn. A test overrides what it is about.
 */
import type { CommandServices, Turn } from '../../src/commands';
import type { AlertControl, PlanApprovals } from '../../src/commands/command';
import { DEFAULT_CHANGE_SETTINGS } from '../../src/commands';
import { StoreAuditLog } from '../../src/audit/store-audit-log';
import { buildPlanView, planSummaryText } from '../../src/cards/plan-preview-view';
import { ANYONE, type PolicyConfig } from '../../src/domain/policy';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { InMemoryPipelineAccess } from './in-memory-pipeline-access';
import { NO_APP_REGISTRATIONS, NO_MANAGED_IDENTITIES } from './federation-fakes';
import { createInventory, type OrgInventory } from '../../src/inventory/org-inventory';
import { AgentRoute } from '../../src/agents/agent-route';
import { operationHooks } from '../../src/operations/operations';

/** Everyone may request and approve anywhere (never their own request: that rule is not a setting). */
export const ALLOW_ALL_POLICY: Readonly<PolicyConfig> = Object.freeze({
  requesters: { users: [ANYONE], groups: [] }, approvers: { users: [ANYONE], groups: [] },
  conversations: [ANYONE], tenants: [ANYONE], planTtlMinutes: 30, twoApproversOver: 10,
});

/** Proposals answered with the bare preview, as a bot without approvers would show it. */
export const PREVIEW_ONLY: PlanApprovals = {
  propose: async (plan) => ({ text: planSummaryText(plan), view: { template: 'plan-preview', model: buildPlanView(plan) } }),
};

const noRadar = async (): Promise<never> => {
  throw new Error('the alerts radar is not part of this test');
};
export const NO_ALERTS: AlertControl = { subscribe: noRadar, unsubscribe: noRadar, status: noRadar, startScan: () => 'busy', trend: noRadar };

/**
 * An inventory that starts empty (nothing stored between tests) and is filled by its own refresh, read through the
 * test's endpoints: an org-wide `list` answers as a cold bot does, after one refresh.
 */
export function testInventory(base: Pick<CommandServices, 'endpoints' | 'clock' | 'logger'> & { projects?: readonly string[] }): OrgInventory {
  return createInventory({ store: new EmbeddedStore(), clock: base.clock, logger: base.logger, projects: base.projects ?? [], background: base.endpoints, interactive: base.endpoints }).reads;
}

export function testServices(base: Pick<CommandServices, 'endpoints' | 'plans' | 'clock' | 'logger'> & Partial<CommandServices>): CommandServices {
  return {
    inventory: base.inventory ?? testInventory(base),
    projects: [], pipelines: new InMemoryPipelineAccess(), changes: DEFAULT_CHANGE_SETTINGS, audit: new StoreAuditLog(new EmbeddedStore()), approvals: PREVIEW_ONLY,
    policy: ALLOW_ALL_POLICY, operations: { hooks: operationHooks }, alerts: NO_ALERTS, agents: new AgentRoute(new EmbeddedStore(), undefined), appRegistrations: NO_APP_REGISTRATIONS, managedIdentities: NO_MANAGED_IDENTITIES, ...base,
  };
}

/** The tenant of every test turn (the allow-all policy still needs one: an activity without a tenant is never allowed). */
export const TEST_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

export function testTurn(turn: Partial<Turn> = {}): Turn {
  const user = turn.user ?? { id: '29:user', name: 'Dana' };
  const conversation = turn.conversation ?? { id: 'conv-1', type: 'personal' };
  return {
    user, conversation, correlationId: 'C-TEST0001',
    principal: { ...(user.aadObjectId ? { aadObjectId: user.aadObjectId } : {}), name: user.name, groups: [] },
    place: { conversationId: conversation.id, tenantId: TEST_TENANT },
    ...turn,
  };
}
