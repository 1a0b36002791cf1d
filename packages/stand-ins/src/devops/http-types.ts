import type { RuleContext } from './context';

/** One parsed request, after the path was split into {org}/{project?}/_apis/{rest…}. */
export interface ApiRequest {
  method: string;
  project?: string;
  /** Path segments after `_apis`, decoded, original case (ids and names keep theirs; routing lower-cases). */
  rest: string[];
  query: URLSearchParams;
  body: unknown;
  /** The Authorization header's scheme only ("Bearer", "Basic"); the credential never reaches a handler. */
  authScheme?: string;
}

export interface ApiAnswer {
  status: number;
  /** Omitted for 204 and for answers with no body at all. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** What a handler may use: the rule context (project already resolved) and the organization's URL. */
export interface HandlerEnv {
  ctx: RuleContext;
  orgUrl: string;
  organization: string;
}

export const wrapped = (value: unknown[]): { count: number; value: unknown[] } => ({ count: value.length, value });
