/**
 * `policy`'s words: the rules that apply in a conversation, the freezes, and for `policy <command>` the answer for
 * the asker (allowed or why not, and which approvals from whom). Names only what operators wrote (rules, groups,
 * freezes, roles) and the connection the asker named and can see.
 */
import { grantText } from '../domain/devops-roles';
import type { Requirement } from '../domain/policy-approvals';
import type { TargetDecision } from '../domain/policy-decide';
import type { FreezeSummary, PolicyHere, RuleSummary } from '../domain/policy-explain';
import { requestRefusalText } from '../domain/policy-refusal-text';
import type { People } from '../domain/policy-rules';
import type { PolicyStatus } from '../policy/policy-source';

const names = (list: readonly string[]) => list.join(', ');

export function peopleText(p: People): string {
  const parts = [p.users.length ? `users ${names(p.users)}` : '', p.groups.length ? `groups ${names(p.groups)}` : ''].filter(Boolean);
  return parts.length ? parts.join('; ') : 'nobody';
}

function ruleLine(r: RuleSummary): string {
  const where = `${names(r.operations)} on ${names(r.connections)} in ${names(r.projects)}`;
  const ask = r.askHere ? `asked here by ${peopleText(r.requesters)}` : 'approved here only';
  const role = r.devOpsRole === 'none' ? '' : `; Azure DevOps role ${r.devOpsRole} required`;
  const more = r.escalate ? ` (${r.escalate.approvals} for ${r.escalate.overConnections !== undefined ? `over ${r.escalate.overConnections} connections` : ''}${r.escalate.deep ? ' or deep plans' : ''})` : '';
  return `Rule ${r.name}: ${where}; ${ask}; ${r.approvals} approval(s)${more} from ${peopleText(r.approvers)}${role}.`;
}

function freezeLine(f: FreezeSummary, now: boolean): string {
  const except = f.except.length ? `, except ${names(f.except)}` : '';
  return `${now ? 'Freeze in force' : 'Next freeze'} ${f.name}: ${names(f.operations)} in ${names(f.projects)} from ${f.from.toISOString()} to ${f.to.toISOString()}${except}.`;
}

export function hereLines(here: PolicyHere, status: PolicyStatus): string[] {
  const source = here.origin === 'file' ? `the policy file (version ${here.version})` : `the SCBOT_* settings (version ${here.version})`;
  const rejected = status.rejected ? [`The last change to the policy file was rejected at ${status.rejected.at.toISOString()} and the policy above stays in force: ${status.rejected.problems.slice(0, 3).join(' | ')}`] : [];
  const rules = here.rules.length ? here.rules.map(ruleLine) : ['No rule applies in this conversation: nothing can be read or changed here.'];
  return [`Decided by ${source}.`, ...rejected, ...rules, ...here.freezesNow.map((f) => freezeLine(f, true)), ...here.freezesNext.map((f) => freezeLine(f, false))];
}

export function decisionLines(decision: TargetDecision, operation: string, requirements: readonly Requirement[]): string[] {
  const name = decision.target.connection.name;
  if (!decision.allowed) return [`Refused: ${requestRefusalText(decision.refusal, operation, name)}`];
  const via = decision.roleGrants?.length ? ` Azure DevOps: ${decision.roleGrants.map((g) => `${g.role} ${grantText(g)}`).join('; ')}.` : '';
  const approvals = requirements.map((r) => `rule ${r.rule}: ${r.needed} from ${peopleText(r.approvers)}${r.devOpsRole === 'none' ? '' : ` (each holding ${r.devOpsRole} in Azure DevOps)`}`);
  return [
    `Allowed: you may ask for ${operation} on "${name}" here (rule ${names(decision.grantedBy)}).${via}`,
    approvals.length ? `Approvals needed (never yours): ${approvals.join('; ')}.` : 'No rule asks for approvals.',
  ];
}
