/** What every Graph stand-in route reads: the registries and the authenticated request. */
import type { Clock } from '../clock';
import type { ApplicationRegistry } from '../entra/application-registry';
import type { Directory } from './directory';

export interface GraphContext {
  registry: ApplicationRegistry;
  clock: Clock;
  metadataBase: string;
  /** Users and groups (getMemberGroups); none when absent. */
  directory?: Directory;
  /** The fault knob for $batch parts: a throttled part answers 429 with this Retry-After. */
  throttlePart?: () => { retryAfterSeconds: number } | undefined;
}

export interface GraphRequest {
  method: string;
  /** Percent-decoded path, e.g. /v1.0/applications(appId='…')/addPassword */
  path: string;
  query: URLSearchParams;
  body: unknown;
  /** Object id (`oid`) of the calling service principal. */
  callerId: string;
  /** The calling client's app id (`appid`). */
  callerAppId: string;
  /** The application permissions the caller's token carries (`roles`; graph-permissions.ts). */
  roles: readonly string[];
  /** The `Prefer` header (`create-if-missing` turns a PATCH by alternate key into an upsert). */
  prefer?: string;
}
