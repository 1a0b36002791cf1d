/**
 * The operation contract: everything generic code (the command registry, the executor, the stale check, the
 * preview and outcome cards, the policy, an agent's tool list) may ask of one operation. Each operation's folder
 * exports one `OperationDefinition`; src/operations/operations.ts lists them, and everything per-operation is derived
 * from that list. Generic code calls these hooks and never branches on an operation's name.
 */
import type { ItemLines } from '../cards/plan-item-lines';
import type { ServiceEndpoint } from '../domain/endpoint';
import type { PlanItem, WarningCode } from '../domain/plan';
import type { ChangeCommand } from '../commands/command';
import type { CommandButton } from '../domain/command-line';
import type { ServiceEndpoints } from '../devops/service-endpoints.port';
import type { Step, StepOutcome } from '../execution/step';

/** How the cards speak of the operation. */
export interface OperationWording {
  /** The preview's title before its subject: "Rotate the secret of" sc-prod. */
  verb: string;
  /** One connection's line on the outcome card when it is done: "secret rotated". */
  itemDone: string;
  /** The approval card's title after its subject: "sc-prod secret rotated", "3 connections converted". */
  titleDone: string;
  /** The preview's count before approval: "1 connection to create" (default "to change"). */
  toDo?: string;
  /** Warnings the preview's steps already say in their own words: not repeated below them. */
  stepsSay?: readonly WarningCode[];
}

/**
 * Who the preview's steps speak of: one connection by name, or every connection of a bulk plan ("each
 * connection"); `one` false means the steps must hold for every item, so they name nothing item-specific.
 */
export interface StepSubject {
  name: string;
  one: boolean;
}

/** A line the card suggests, with the button that does it when the bot can (pinned to the connection by id). */
export interface Suggestion {
  text: string;
  button?: CommandButton;
}

/**
 * What the operation does, for the policy (least privilege per operation) and for agents' tool annotations.
 * `destructive`: once approved, it removes, takes away or overwrites something (a connection, a project reference,
 * pipeline access, a secret in use, the way a connection signs in): MCP's `destructiveHint`, whose opposite is "only
 * additive". Adding a connection, a pipeline or a project reference is not, even when it grants access (create's role).
 * `targets`: whether a command names one connection, many (a filter such as `convert all`), or either.
 */
export interface OperationEffect {
  destructive: boolean;
  targets: 'one' | 'many' | 'one-or-many';
}

/**
 * The item-level hooks. Each has a default for an operation on an existing connection (operation-hooks.ts); an
 * operation overrides only what differs.
 */
export interface OperationHooks<Item extends PlanItem = PlanItem> {
  /**
   * Whether an item's connection exists before the step runs (default true): it is then re-read in the run's batch
   * read, fingerprint-checked before the step, and compared at approval. false: the step makes it, so the executor
   * hands the step no connection and the stale check asks `staleBeforeRun` instead.
   */
  existsBeforeRun: boolean;
  /** The refusal before the step runs (default: gone, or changed since the preview). */
  preflight(item: Item, current: ServiceEndpoint | null): StepOutcome | undefined;
  /** For an item that is not re-read: whether it no longer holds since the preview (e.g. its name was taken). */
  staleBeforeRun(devops: ServiceEndpoints, item: Item): Promise<boolean>;
  /** The item on the preview card (default: the connection's field changes), shown behind Show details. */
  describe(item: Item): ItemLines;
  /** "What will happen": numbered steps in the person's words, shown first on the preview. */
  steps(item: Item, subject: StepSubject): string[];
  /** A better way to the same end, offered beside the plan (rotate → convert); default none. */
  suggest(item: Item): Suggestion | undefined;
  /** What to do after the item was done (a reminder, a Revert while it can be): default none. */
  afterDone(item: Item, finishedAt: Date): Suggestion[];
}

export interface OperationDefinition<Name extends string = string, Ports = never> {
  /** The operation's name: on plans, in audit events, in policy rules (`operations: [rotate]`), in metrics. */
  readonly name: Name;
  /** The chat commands that propose it (registered in the list's order; `help` is generated from them). */
  readonly commands: readonly ChangeCommand[];
  /**
   * A command line that proposes it on the local demo seed (`npm start`): the operation contract test runs it
   * through preview, approval and execution against the stand-ins.
   */
  readonly demo: string;
  readonly effect: OperationEffect;
  readonly wording: OperationWording;
  /** Its REST sequence for one item, built once with the ports it needs. */
  step(ports: Ports): Step;
  /** Where it differs from an operation on an existing connection. */
  readonly hooks?: Partial<OperationHooks>;
}

/** The ports of an operation whose step needs only what every step gets (StepContext). */
export type NoPorts = Record<never, never>;
