import type { Logger } from '../logging';
import type { Clock } from '../domain/time';
import type { Result } from '../domain/errors';
import type { ServiceEndpoints } from '../devops/service-endpoints.port';
import type { PipelineAccess } from '../devops/pipeline-access.port';
import type { PlanRepository } from '../plans/plan-repository.port';
import type { AuditLog } from '../audit/audit-log.port';
import type { Token } from './tokenizer';
import type { Place, PolicyConfig, Principal } from '../domain/policy';
import type { MembershipSource } from '../policy/membership-source.port';
import type { PolicyGate } from '../policy/policy-gate';
import type { ProjectRef, Target } from '../domain/policy-rules';
import type { Plan } from '../domain/plan';
import type { AlertRadar } from '../alerts/radar';
import type { AppRegistrations, ManagedIdentities } from '../azure/federated-identities.port';
import type { ConnectionPin } from '../domain/command-line';
import type { ArgSpec, StructuredInput } from './declared-args';
import type { FormChoices } from '../cards/form-view';
import type { PlanTarget } from '../domain/planning';
import type { OrgInventory } from '../inventory/org-inventory';
import type { AgentRoute } from '../agents/agent-route';

/**
 * What a command answers, as a value (src/cards/card.ts): the presenter renders it and the bot layer turns it
 * into an activity. `text` is always a short summary (the notification preview, the fallback without cards).
 */
export type { Reply } from '../cards/card';
import type { CardMessage, Reply } from '../cards/card';
import type { HelpGroup } from '../cards/help-view';

/** Settings of the mutating commands (rotate, delete, convert, revert). */
export interface ChangeSettings {
  /** Lifetime of a secret the bot creates with Graph when `expires <N>d` is not given. */
  secretLifetimeDays: number;
  /** How long the previous bot-made secret keeps working after a rotation before it is retired. */
  retireAfterHours: number;
  /** Execution-history reads in flight at once for bulk commands (convert all, delete failed). */
  historyConcurrency: number;
  /** The Entra tenant new connections belong to (`create`); the requester's Teams tenant when absent. */
  tenantId?: string;
}

export const DEFAULT_CHANGE_SETTINGS: Readonly<ChangeSettings> = Object.freeze({ secretLifetimeDays: 180, retireAfterHours: 24, historyConcurrency: 4 });

/** One chat turn: who asked, where, and which activity (its id ties the turn's logs and audit events together). */
export interface Turn {
  /** `appId`: MCP callers only, the client app of their token (recorded in the audit beside the object id). */
  user: { id: string; name: string; aadObjectId?: string; appId?: string };
  conversation: { id: string; type: string };
  /** The sender for the policy (groups empty until looked up). */
  principal: Principal;
  /** Conversation and tenant of the activity, as the policy reads them. */
  place: Place;
  correlationId: string;
  /** The Bot Framework conversation reference of this turn, as JSON: where `alerts on` sends future alerts. */
  conversationReference?: Record<string, unknown>;
  /**
   * A card button drawn for one connection: the command acts on this id or on nothing (find-connection.ts), never
   * on whatever else answers to the name. Typed commands have none and find connections by name.
   */
  pinned?: ConnectionPin;
}

/**
 * What every command runs with, app-wide, built once by the composition root (bot/compose.ts). All required:
 * "no policy" must never mean "no gate" — a test that wants none passes an explicit allow-all policy.
 */
export interface CommandServices {
  endpoints: ServiceEndpoints;
  /**
   * What the bot last read of every connection (src/inventory): org-wide `list` answers with their age, and where a
   * name is (then read live). Never what a plan is built from.
   */
  inventory: OrgInventory;
  /** Pipelines, pipelinePermissions and per-connection roles (access, restrict, authorize, share previews). */
  pipelines: PipelineAccess;
  /** Where mutating commands keep the plans they propose (execution and approval reload them from here). */
  plans: PlanRepository;
  changes: Readonly<ChangeSettings>;
  /** Configured project names or ids; empty means every project the bot's identity can see. */
  projects: readonly string[];
  clock: Clock;
  logger: Logger;
  /** The audit trail: mutating commands record `requested`, refusals `refused`, `audit` reads it. */
  audit: AuditLog;
  /** The approval workflow: a proposed plan gets an approval record and a card with Approve / Reject. */
  approvals: PlanApprovals;
  /** Who may do what, where. The registry gates every command on it (src/commands/request-gate.ts). */
  policy: Readonly<PolicyConfig>;
  /** Group lookups, only when the policy names groups (without it, a group-only role is simply not held). */
  membership?: MembershipSource;
  /**
   * SCBOT_POLICY_FILE's rules (src/policy/policy-gate.ts). When it is enforced, the registry, planReply and the
   * approval path decide by its rules instead of `policy`; absent or not enforced, `policy` decides as it always has.
   */
  policyGate?: PolicyGate;
  /**
   * Under a policy file, what this conversation may read (policy-request-gate.ts sets it with the narrowed reads):
   * answers from the inventory, which is not read through `endpoints`, keep only what it allows. Absent: everything.
   */
  visibility?: Visibility;
  /**
   * The operations' hooks, by name (src/operations/operations.ts, passed in by the composition root: the list
   * imports the change commands, so commands cannot import it back).
   */
  operations: OperationCatalog;
  /** The alerts radar (`alerts on|off|status|scan`). */
  alerts: AlertControl;
  /** Where changes agents propose appear (`agents on|off|status`), and the MCP endpoint's URL when it is on. */
  agents: AgentRoute;
  /** Who is behind a federated connection (`migrate issuer` plans the credential for an app or a managed identity). */
  appRegistrations: AppRegistrations;
  managedIdentities: ManagedIdentities;
}

/** A command runs with the turn and the services; they are built apart and met only here. */
export type CommandContext = Turn & CommandServices;

/** What a conversation may read: a project at all, and a connection in it. */
export interface Visibility {
  project(project: ProjectRef): boolean;
  connection(target: Target): boolean;
}

/** What the `alerts` command needs from the radar (src/alerts/radar.ts). */
export type AlertControl = Pick<AlertRadar, 'subscribe' | 'unsubscribe' | 'status' | 'startScan' | 'trend'>;

/** What mutating commands need from the approval workflow (src/approvals). */
export interface PlanApprovals {
  propose(plan: Plan, requester: { id: string; name: string; aadObjectId?: string }, conversation: { id: string; type: string; tenantId?: string }): Promise<CardMessage>;
}

/** What generic command code may ask of an operation it knows only by name. */
export interface OperationCatalog {
  hooks(name: string): { existsBeforeRun: boolean };
}

/** Why arguments did not parse; the registry answers with the command's usage. */
export interface UsageError {
  message: string;
}

/** Where `help` lists a command: reading, changing, alerts, the audit trail (src/cards/help-view.ts). */
export type CommandGroup = HelpGroup;

export interface Command<Args = unknown> {
  id: string;
  /** Its section in `help`; default `fix` for a mutating command, `look` otherwise. */
  group?: CommandGroup;
  aliases?: readonly string[];
  /** One line, e.g. "show <name> [in <project>]". */
  usage: string;
  /**
   * The arguments, declared as data (declared-args.ts): a structured caller's schema, and the check of `usage`
   * and `parse` (test/unit/operation-contract.test.ts). Every change command declares them.
   */
  args?: readonly ArgSpec[];
  summary: string;
  examples: readonly string[];
  /** A mutating command must go plan → card → approve → execute. */
  mutates: boolean;
  /**
   * false: left out of the Teams compose-box command list, which holds 12 per scope (`help` still lists it).
   * For the rarer verbs whose usage the preview of a more common one already suggests.
   */
  menu?: false;
  /**
   * What the Teams command menu says under the verb (≤ 128 characters, whole words): written for a person choosing
   * from a list, not the usage. Without it the menu shows the summary, cut at a word if it must be.
   */
  menuText?: string;
  /** Answers an empty message and greetings or questions about the bot ("hello", "what can you do?"); one command at most. */
  greets?: true;
  /** True when these arguments change the bot's own settings (e.g. `alerts on`): a requester only (mayConfigure). */
  configures?(args: Args): boolean;
  parse(tokens: readonly Token[]): Result<Args, UsageError>;
  /**
   * The name of the one existing connection these arguments act on, if they act on exactly one (not `convert all`,
   * not `list`). A tap pinned to a connection runs only a command that says so (registry.ts).
   */
  names?(args: Args): string | undefined;
  /**
   * The words its command lines start with, when more than the id: `migrate issuer`. A structured caller's input is
   * written as a line after them (declared-args.ts `commandLineFrom`), and its agents' tool is named after them
   * (`propose_migrate_issuer`, src/mcp/tools/propose.tool.ts).
   */
  verb?: string;
  /**
   * Arguments missing or unreadable: a form of the declared `args` instead of the usage line (src/commands/forms.ts),
   * its choices from the operation's `<op>.form.ts`. Its submit runs as a typed line would.
   */
  form?: CommandForm;
  /**
   * No connection named: a pick-list of the connections this command would act on (src/commands/pick-list.ts):
   * those its planner accepts now. History is not read for the list, so a check that needs it runs on the tap.
   */
  pick?: (target: PlanTarget, now: Date) => boolean;
  run(args: Args, ctx: CommandContext): Promise<Reply>;
}

/** A command's form: its choices, read for this conversation, and labels clearer than the arguments' descriptions. */
export interface CommandForm {
  labels?: Readonly<Record<string, string>>;
  choices(ctx: CommandContext, input: StructuredInput): Promise<FormChoices>;
}

/**
 * A command that proposes a change: its arguments are declared, and its agents' `propose_*` tool is derived from them
 * (the arguments marked `agents: false` left out).
 */
export type ChangeCommand<Args = unknown> = Command<Args> & { args: readonly ArgSpec[] };

export const textReply = (text: string): Reply => ({ kind: 'text', text });
