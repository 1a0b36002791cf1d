import type { Logger } from '../logging';
import type { Clock } from '../domain/clock';
import type { Result } from '../domain/errors';
import type { ServiceEndpoints } from '../devops/service-endpoints.port';
import type { PlanRepository } from '../plans/plan-repository.port';
import type { AuditLog } from '../audit/audit-log.port';
import type { Token } from './tokenizer';
import type { Place, PolicyConfig, Principal } from '../domain/policy';
import type { MembershipSource } from '../policy/membership-source.port';
import type { Plan } from '../domain/plan';
import type { AlertRadar } from '../alerts/radar';


/**
 * What a command answers, as a value (src/cards/card.ts): the presenter renders it and the bot layer turns it
 * into an activity. `text` is always a short summary (the notification preview, the fallback without cards).
 */
export type { Reply } from '../cards/card';
import type { CardMessage, Reply } from '../cards/card';

/** Settings of the mutating commands (rotate, delete, convert, revert). */
export interface ChangeSettings {
  /** Lifetime of a secret the bot creates with Graph when `expires <N>d` is not given. */
  secretLifetimeDays: number;
  /** How long the previous bot-made secret keeps working after a rotation before it is retired. */
  retireAfterHours: number;
  /** Execution-history reads in flight at once for bulk commands (convert all, delete failed). */
  historyConcurrency: number;
}

export const DEFAULT_CHANGE_SETTINGS: Readonly<ChangeSettings> = Object.freeze({ secretLifetimeDays: 180, retireAfterHours: 24, historyConcurrency: 4 });

export interface CommandContext {
  endpoints: ServiceEndpoints;
  /** Where mutating commands keep the plans they propose (execution and approval reload them from here). */
  plans: PlanRepository;
  /** Defaults to DEFAULT_CHANGE_SETTINGS. */
  changes?: Partial<ChangeSettings>;
  /** Configured project names or ids; empty means every project the bot's identity can see. */
  projects: readonly string[];
  clock: Clock;
  logger: Logger;
  user: { id: string; name: string; aadObjectId?: string };
  conversation: { id: string; type: string };
  /** The audit trail: mutating commands record `requested`, `audit` reads it. Absent = nothing recorded (unit tests). */
  audit?: AuditLog;
  /** The approval workflow: a proposed plan gets an approval record and a card with Approve / Reject. Absent = preview only. */
  approvals?: PlanApprovals;
  /** Ties this turn's audit events and logs together (the incoming activity's id); a fresh one when absent. */
  correlationId?: string;
  /**
   * Who may do what, where. The registry gates every command on it (src/policy/request-gate.ts); absent = no gate,
   * which only unit tests of single commands do: the composition roots always pass one (default deny).
   */
  policy?: Readonly<PolicyConfig>;
  /** The sender for the policy (groups empty until looked up); derived from `user` when absent. */
  principal?: Principal;
  /** Conversation and tenant of the activity; `{ conversationId: conversation.id }` (no tenant) when absent. */
  place?: Place;
  /** Group lookups, only when the policy names groups. */
  membership?: MembershipSource;
  /** The alerts radar (`alerts on|off|status|scan`); absent = alerts not enabled on this bot. */
  alerts?: AlertControl;
  /** The Bot Framework conversation reference of this turn, as JSON: where `alerts on` sends future alerts. */
  conversationReference?: Record<string, unknown>;
}

/** What the `alerts` command needs from the radar (src/alerts/radar.ts). */
export type AlertControl = Pick<AlertRadar, 'subscribe' | 'unsubscribe' | 'status' | 'startScan'>;

/** What mutating commands need from the approval workflow (src/approvals). */
export interface PlanApprovals {
  propose(plan: Plan, requester: { id: string; name: string; aadObjectId?: string }, conversation: { id: string; type: string; tenantId?: string }): Promise<CardMessage>;
}

/** Why arguments did not parse; the registry answers with the command's usage. */
export interface UsageError {
  message: string;
}

export interface Command<Args = unknown> {
  id: string;
  aliases?: readonly string[];
  /** One line, e.g. "show <name> [in <project>]". */
  usage: string;
  summary: string;
  examples: readonly string[];
  /** A mutating command must go plan → card → approve → execute. */
  mutates: boolean;
  /** True when these arguments change the bot's own settings (e.g. `alerts on`): a requester only (mayConfigure). */
  configures?(args: Args): boolean;
  parse(tokens: readonly Token[]): Result<Args, UsageError>;
  run(args: Args, ctx: CommandContext): Promise<Reply>;
}

export const textReply = (text: string): Reply => ({ kind: 'text', text });
