/**
 * How long the service's own asynchronous work takes, and how it ends (facts §7.2): an Automatic azurerm create
 * answers `isReady: false`, `operationStatus.state: "InProgress"` while Azure DevOps registers the app, then Ready
 * (or Failed); deleting an Automatic connection (it removes the app it made) is polled the same way until the
 * connection is gone. Delays run on the emulator's clock; failures are scripted per operation and connection name.
 */
import { z } from 'zod';

export type LifecycleOperation = 'create' | 'delete' | 'convert';

export interface ScriptedFailure {
  operation: LifecycleOperation;
  /** Connection name (case-insensitive); any connection when absent. */
  name?: string;
  /** operationStatus.statusMessage of the failed connection. */
  statusMessage?: string;
}

export interface LifecycleSettings {
  /** ms an Automatic azurerm create stays InProgress (0: Ready at the next read). */
  provisioningMs: number;
  /** ms the delete of an Automatic connection stays InProgress before the connection is gone (0: at once). */
  deletionMs: number;
  /** ms a scheme conversion (or revert) answers InProgress before the connection is Ready again (0: at once). */
  conversionMs: number;
}

export interface LifecycleController {
  /** Mutable at run time; read at the moment an operation starts. */
  readonly settings: LifecycleSettings;
  /** The next matching operation ends Failed instead of succeeding (once per call). */
  failNext(failure: ScriptedFailure): void;
}

/** The seed's optional `lifecycle` section. */
export const lifecycleSeedSchema = z.object({
  provisioningMs: z.number().int().nonnegative().optional(),
  deletionMs: z.number().int().nonnegative().optional(),
  conversionMs: z.number().int().nonnegative().optional(),
  failures: z.array(z.object({
    operation: z.enum(['create', 'delete', 'convert']), name: z.string().min(1).optional(), statusMessage: z.string().optional(),
  })).default([]),
});
export type LifecycleSeed = z.infer<typeof lifecycleSeedSchema>;

/**
 * The service's pace when nothing says otherwise: asynchronous, as it is (facts §7.2: an Automatic create answers
 * InProgress and finishes later; deletes are polled the same way; a conversion answers InProgress too). A client that
 * never polls, or polls wrongly, fails against the stand-in as it would against Azure DevOps.
 */
export const DEFAULT_LIFECYCLE: Readonly<LifecycleSettings> = { provisioningMs: 1_500, deletionMs: 1_500, conversionMs: 1_500 };
/** For tests that are about something else and want the service's work done by the next read. */
export const INSTANT_LIFECYCLE: Readonly<LifecycleSettings> = { provisioningMs: 0, deletionMs: 0, conversionMs: 0 };

const DEFAULT_FAILURE: Record<LifecycleOperation, string> = {
  create: 'Failed to create an app in Microsoft Entra ID. Error: Insufficient privileges to complete the operation in Microsoft Graph.',
  delete: 'Failed to delete the service principal of the service connection. Retry with deep=false to skip its clean-up.',
  convert: 'Failed to configure the federated credential of the service principal: Insufficient privileges to complete the operation.',
};

export class Lifecycle implements LifecycleController {
  readonly settings: LifecycleSettings;
  private failures: ScriptedFailure[];

  /** Explicit settings win over the seed's, then the caller's defaults, then DEFAULT_LIFECYCLE. */
  constructor(seed: LifecycleSeed | undefined, overrides: Partial<LifecycleSettings> = {}, defaults: Partial<LifecycleSettings> = {}) {
    this.settings = {
      provisioningMs: overrides.provisioningMs ?? seed?.provisioningMs ?? defaults.provisioningMs ?? DEFAULT_LIFECYCLE.provisioningMs,
      deletionMs: overrides.deletionMs ?? seed?.deletionMs ?? defaults.deletionMs ?? DEFAULT_LIFECYCLE.deletionMs,
      conversionMs: overrides.conversionMs ?? seed?.conversionMs ?? defaults.conversionMs ?? DEFAULT_LIFECYCLE.conversionMs,
    };
    this.failures = [...(seed?.failures ?? [])];
  }

  failNext(failure: ScriptedFailure): void {
    this.failures.push({ ...failure });
  }

  /** The failure message scripted for this operation on this connection, consumed; undefined when it succeeds. */
  takeFailure(operation: LifecycleOperation, connectionName: string): string | undefined {
    const index = this.failures.findIndex((f) => f.operation === operation && (!f.name || f.name.toLowerCase() === connectionName.toLowerCase()));
    if (index < 0) return undefined;
    const [failure] = this.failures.splice(index, 1);
    return failure?.statusMessage ?? DEFAULT_FAILURE[operation];
  }
}
