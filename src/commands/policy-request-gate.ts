/**
 * The registry's gate under a policy file. Before a command parses anything: a mutating command needs a rule that
 * lists this conversation and this person as a requester (for some operation: which connections, which operation
 * and which Azure DevOps role are checked per connection when the plan is made, policy-screen.ts); `alerts on|off`
 * needs any requester of any rule. Every command then reads through views narrowed to what the conversation may see.
 * The tenant allow-list (SCBOT_ALLOWED_TENANTS) stays a gate in front of every rule.
 */
import { listed, type DenialCode } from '../domain/policy';
import { mayConfigureAlerts } from '../domain/policy-decide';
import { canSee, listsConversation, listsPerson, type Policy } from '../domain/policy-rules';
import type { PolicyGate } from '../policy/policy-gate';
import { seesProject, visibleAudit, visibleEndpoints } from '../policy/visible-reads';
import type { AlertControl, Command, CommandContext } from './command';
import type { Finding } from '../domain/findings';

export async function policyDenial(gate: PolicyGate, command: Command, ctx: CommandContext, configures: boolean): Promise<DenialCode | undefined> {
  if (!command.mutates && !configures) return undefined;
  if (!listed(ctx.policy.tenants, ctx.place.tenantId)) return 'TENANT_NOT_ALLOWED';
  const policy = gate.current();
  const who = await gate.withGroups(policy, ctx.principal);
  if (configures) return mayConfigureAlerts(policy, who) ? undefined : 'NOT_A_REQUESTER';
  const asking = policy.rules.filter((r) => r.requesters.users.length + r.requesters.groups.length > 0);
  const here = asking.filter((r) => listsConversation(r.conversations, ctx.conversation.id));
  if (here.length === 0) return 'CONVERSATION_NOT_ALLOWED';
  return here.some((r) => listsPerson(r.requesters, who)) ? undefined : 'NOT_A_REQUESTER';
}

/**
 * The radar as this conversation may read it: the last scan's findings it may see; the org-wide counts (the scan's
 * stats, the connection census, the daily trend) are not narrowed per connection, so under a policy file they are
 * not shown at all rather than shown for everyone's connections.
 */
function visibleAlerts(inner: AlertControl, policy: Policy, conversationId: string): AlertControl {
  const sees = (f: Finding) => canSee(policy, conversationId, { project: { name: f.project }, connection: { name: f.name, id: f.endpointId } });
  return {
    subscribe: (...a) => inner.subscribe(...a), unsubscribe: (...a) => inner.unsubscribe(...a), startScan: (...a) => inner.startScan(...a),
    trend: async () => [],
    status: async (id) => {
      const status = await inner.status(id);
      if (!status.lastScan) return status;
      const { stats: _orgWide, gaps: _gaps, ...scan } = status.lastScan;
      return { ...status, lastScan: { ...scan, findings: scan.findings.filter(sees) } };
    },
  };
}

/** The turn's context with reads narrowed to what this conversation may see (no existence oracle). */
export function scopedToConversation(gate: PolicyGate, ctx: CommandContext): CommandContext {
  const policy = gate.current();
  const here = ctx.conversation.id;
  return {
    ...ctx, endpoints: visibleEndpoints(ctx.endpoints, policy, here), audit: visibleAudit(ctx.audit, policy, here), alerts: visibleAlerts(ctx.alerts, policy, here),
    visibility: { project: (p) => seesProject(policy, here, p), connection: (t) => canSee(policy, here, t) },
  };
}
