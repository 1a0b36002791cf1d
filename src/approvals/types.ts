import type { CardMessage } from '../cards/card';
import type { ApprovalPerson, CardLocation } from '../domain/approval';
import type { RunOptions, RunReport } from '../execution';
import type { Plan } from '../domain/plan';

/** A card as an answer: the replacement card (a value; the bot layer renders it) and a one-line summary. */
export interface CommandCardReply extends CardMessage {
  /** Set when the tap was refused by the policy (e.g. OWN_REQUEST): the stable code, for the bot layer. */
  refusal?: string;
  /** Set while the plan waits for approval: who asked and who approved so far (channel ids). */
  pending?: PendingApproval;
}

export interface PendingApproval {
  requesterId: string;
  approvedBy: readonly string[];
}

/** Runs an approved plan (the Executor); resumes per item when called again for the same plan. */
export interface PlanRunner {
  run(plan: Plan, options?: RunOptions): Promise<RunReport>;
}

/** A button press on a plan card (Universal Actions invoke), as the bot layer read it. Card data is untrusted. */
export interface Tap {
  verb: string;
  data: unknown;
  user: ApprovalPerson & { groups?: readonly string[] };
  conversation: { id: string; type: string; tenantId?: string };
  /** Where the tapped card is (for in-place updates from the background). */
  card?: CardLocation;
  correlationId?: string;
}
