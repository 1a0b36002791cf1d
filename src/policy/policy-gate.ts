/**
 * The policy as the running bot asks it: the file's rules in force (PolicySource), with the I/O they need (Entra
 * groups, sign-in names, Azure DevOps roles). Built once by bot/compose.ts and handed to the request gate, the plan
 * screen, the approval path and `policy`. Without SCBOT_POLICY_FILE the policy is today's settings and `enforced()`
 * is false: every command and tap then runs exactly as before (the settings' own gates in src/domain/policy.ts),
 * which test/unit/policy-settings-equivalence.test.ts shows the settings' rules would decide the same way.
 */
import type { Clock } from '../domain/time';
import type { Principal } from '../domain/policy';
import type { Policy } from '../domain/policy-rules';
import type { RequestAsk, RequestDecision } from '../domain/policy-decide';
import type { ApprovalAsk, ApprovalDecision } from '../domain/policy-approvals';
import { namesGroups } from '../domain/policy-rules';
import type { DevOpsRoles } from '../devops/devops-roles.port';
import type { MembershipSource } from './membership-source.port';
import { checkApproval, checkRequest, type SignInNames } from './policy-checks';
import type { PolicySource, PolicyStatus } from './policy-source';
import type { SignInNameSource } from './sign-in-names.port';

export interface PolicyGateOptions {
  source: PolicySource;
  /** Azure DevOps' own roles (src/devops/azure-devops-roles.ts); rules without `devOpsRole` never ask it. */
  roles: DevOpsRoles;
  membership?: MembershipSource;
  /** Sign-in names help find a person in Azure DevOps (docs/policy.md, [infer]); without it, the object id alone. */
  signInNames?: SignInNameSource;
  clock: Clock;
}

/** Role reads per check at once: a bulk plan must not spend the bot's Azure DevOps budget in one burst. */
const ROLE_CONCURRENCY = 4;

export class PolicyGate {
  constructor(private readonly o: PolicyGateOptions) {}

  /** The rules in force now (a reload may replace them between two turns, never within one decision). */
  current(): Policy {
    return this.o.source.current();
  }

  status(): PolicyStatus {
    return this.o.source.status();
  }

  /** True when a policy file decides; false when today's settings do (their gates run unchanged). */
  enforced(): boolean {
    return this.current().origin === 'file';
  }

  now(): Date {
    return this.o.clock.now();
  }

  /** Entra groups of a person, looked up only when the policy names groups (a failure rejects: fail closed). */
  async withGroups(policy: Policy, who: Principal): Promise<Principal> {
    if (!who.aadObjectId || !this.o.membership || !namesGroups(policy)) return who;
    return { ...who, groups: [...who.groups, ...(await this.o.membership.groupsOf(who.aadObjectId))] };
  }

  async request(policy: Policy, ask: RequestAsk): Promise<RequestDecision> {
    return checkRequest(policy, ask, this.deps(), await this.names(ask.requester));
  }

  async approval(policy: Policy, ask: ApprovalAsk): Promise<ApprovalDecision> {
    return checkApproval(policy, ask, this.deps(), await this.names(ask.approver));
  }

  private deps() {
    return { roles: this.o.roles, ...(this.o.membership ? { membership: this.o.membership } : {}), concurrency: ROLE_CONCURRENCY };
  }

  /** A lookup that fails leaves the object id alone to find the person: fewer ways to match, never more. */
  private async names(who: Principal): Promise<SignInNames> {
    const id = who.aadObjectId;
    if (!id || !this.o.signInNames) return new Map();
    const names = await this.o.signInNames.namesOf(id).catch(() => []);
    return new Map([[id.toLowerCase(), names]]);
  }
}
