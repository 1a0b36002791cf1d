import type { ErrorCode } from '../domain/errors';

/**
 * Why an item ended as it did, beyond its status: a value, worded only when a card or log line is drawn
 * (src/cards/outcome-text.ts). Item states keep these in the Store, so a resumed run reports the same reason.
 */
export type ItemReason =
  /** Another live run holds the item (or this run lost its run lease before starting it). */
  | { kind: 'another-run' }
  | { kind: 'changed-since-preview' }
  | { kind: 'gone' }
  | { kind: 'nothing-to-revert' }
  | { kind: 'revert-window-ended'; deadline: string }
  /** A thrown error; its code is on the item, the details in the log under this reference. */
  | { kind: 'error'; referenceId: string }
  | { kind: 'no-new-secret' }
  | { kind: 'changed-during-interrupted-rotation'; appId: string; keyId: string }
  | { kind: 'new-secret-not-ready' }
  | { kind: 'update-uncertain'; keptKeyId?: string }
  | { kind: 'converted-not-ready'; revertDeadline?: string }
  | { kind: 'converted-not-ready-reverted' }
  | { kind: 'reverted-not-ready' }
  | { kind: 'unshared-only' }
  /** The connection was already as planned (enabled, authorized, shared) when execution re-read it. */
  | { kind: 'already-so' }
  | { kind: 'previous-secret-retires'; at: string }
  /** Moved to the Entra issuer; `credential` when the bot put the new federated credential on the identity itself. */
  | { kind: 'issuer-moved'; oldIssuer: string; oldSubject: string; credential?: { name: string; on: 'app' | 'managed-identity'; existed: boolean } }
  /** The manual fallback the bot could not complete: the identity's owner must add exactly this credential. */
  | { kind: 'federated-credential-required'; issuer: string; subject: string; audience: string; createdName?: string }
  /** Azure DevOps named an issuer that is not the Entra issuer of the connection's tenant: nothing was created. */
  | { kind: 'migration-target-unexpected'; issuer: string }
  /** The service accepted the move but the connection still names the Azure DevOps issuer. */
  | { kind: 'issuer-not-moved' }
  | { kind: 'moved-not-ready' }
  /** create: made and verified; `app` when the bot registered a new app for it. */
  | { kind: 'created'; endpointId: string; credentialName: string; role?: string; pipelines: string[]; app?: string }
  /** create: a connection of that name exists and this plan did not make it. */
  | { kind: 'name-taken' }
  /**
   * create: a step failed and what was made is removed again, in reverse; `leftovers` names what could not be
   * removed (for a person to delete). `referenceId` ties it to the log line with the error. `keptConnection`: the
   * connection it made changed since, and is left as it is for a person to look at.
   */
  | { kind: 'create-undone'; stage: CreateStage; detail?: string; referenceId?: string; leftovers: string[]; keptConnection?: boolean }
  /** Listed as ineligible in the plan itself; `detail` is the planner's reason, shown on the preview. */
  | { kind: 'not-planned'; detail: string };

/** The create steps, in order. */
export type CreateStage = 'app' | 'connection' | 'changed' | 'not-ready' | 'issuer' | 'credential' | 'role' | 'pipelines' | 'verify';

export type ItemStatus = 'pending' | 'running' | 'done' | 'skipped' | 'failed';
export type FinalStatus = Exclude<ItemStatus, 'pending' | 'running'>;

/** What a step has achieved so far, persisted so a resumed run knows where a crashed one stopped. */
export interface StepProgress {
  /** Graph keyId of a secret the rotation created (never its value). */
  keyId?: string;
  appId?: string;
  /** The first PUT (rotate, convert) or the Manual flip (delete) reached Azure DevOps; the issuer move went through. */
  updated?: boolean;
  /** migrate issuer: the federated credential the bot put on the identity (a resume reports it, the PUT/POST is idempotent). */
  credential?: { name: string; on: 'app' | 'managed-identity'; existed: boolean };
  /** create: what exists so far, so a resumed run goes on (and a failed one cleans up) without making anything twice. */
  create?: CreateProgress;
}

export interface CreateProgress {
  /**
   * A random key, recorded before the first write and never shown (no card, chat line, log line or audit event): the
   * new app's alternate key and a tag in the connection's description. A resumed run or a clean-up takes as its own
   * only an app or connection carrying it; before the writes nobody else can know it.
   */
  key?: string;
  /** Set before the app is asked for (new app only): from here on clean-up looks it up by the key. */
  appSent?: boolean;
  /** The app the bot registered (new app only): recorded right after Graph answers, before anything else. */
  app?: { appId: string; objectId: string; servicePrincipalId: string | null };
  /** Set before the POST: from here on a resume looks the name up (this run's key) instead of POSTing again. */
  posting?: boolean;
  endpointId?: string;
  /** Set before the credential's write, so a write whose answer was lost is still removed on clean-up. */
  credentialSent?: boolean;
  credential?: boolean;
  /** Set before the role assignment's PUT, for the same reason. */
  roleSent?: boolean;
  role?: boolean;
  pipelines?: boolean;
  /** Set before clean-up: a run resumed from here finishes the clean-up and reports this failure; it never creates again. */
  undoing?: CreateUndoing;
}

/** The failure a clean-up is for, kept so a resumed clean-up reports the same. */
export interface CreateUndoing {
  stage: CreateStage;
  detail?: string;
  referenceId?: string;
  code?: ErrorCode;
  /** The connection is left as it is: it changed after this run made it (the detail says how). */
  keptConnection?: boolean;
}

/** Per-item execution state, one Store record per plan item. */
export interface ItemState {
  status: ItemStatus;
  progress?: StepProgress;
  reason?: ItemReason;
  code?: ErrorCode;
  /** The run that claimed a running item, and until when its claim holds without further progress. */
  runId?: string;
  leaseUntil?: string;
  updatedAt: string;
}

export interface RunItem {
  endpointId: string;
  name: string;
  status: FinalStatus;
  reason?: ItemReason;
  code?: ErrorCode;
}

export interface RunReport {
  planId: string;
  items: RunItem[];
  counts: Record<FinalStatus, number>;
}

export function countsOf(items: RunItem[]): Record<FinalStatus, number> {
  const counts: Record<FinalStatus, number> = { done: 0, skipped: 0, failed: 0 };
  for (const item of items) counts[item.status] += 1;
  return counts;
}
