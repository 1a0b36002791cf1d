/**
 * Azure Resource Manager over @azure/core-rest-pipeline, as GraphClient does for Graph: retries with Retry-After,
 * timeouts, the trust hook for the local stand-in. Errors carry the operation, the status and ARM's error code
 * only (never the token, never a body).
 */
import {
  createDefaultHttpClient, createHttpHeaders, createPipelineFromOptions, createPipelineRequest, isRestError,
  type HttpClient, type Pipeline, type PipelineResponse,
} from '@azure/core-rest-pipeline';
import { AppError, isAppError } from '../domain/errors';
import type { AccessTokenSource } from '../identity/access-token-source.port';
import type { Logger } from '../logging';
import { trustAgent } from './trust-agent';

export const ARM_URL = 'https://management.azure.com';
export const ARM_SCOPE = 'https://management.azure.com/.default';

export interface ArmClientOptions {
  tokens: AccessTokenSource;
  /** Default https://management.azure.com; the local cloud's ARM stand-in in local mode. */
  armUrl?: string;
  trust?: { caCertificatePem: string };
  maxRetries?: number;
  timeoutMs?: number;
  logger?: Logger;
}

export interface ArmCall {
  operation: string;
  method: 'GET' | 'PUT' | 'DELETE';
  /** Path and query, e.g. `/subscriptions/…?api-version=2023-01-31`. */
  path: string;
  body?: unknown;
}

function armCodeOf(bodyText: string | undefined): string | undefined {
  try {
    const code = (JSON.parse(bodyText ?? '') as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

export function armError(operation: string, status: number, bodyText: string | undefined): AppError {
  const code = armCodeOf(bodyText);
  const detail = `${operation}: ARM answered ${status}${code ? ` ${code}` : ''}.`;
  if (status === 401) return new AppError('IDENTITY.UNAVAILABLE', `${detail} The bot's ARM token was refused.`, { status });
  if (status === 403) return new AppError('ARM.FORBIDDEN', detail, { status });
  if (status === 404) return new AppError('ARM.NOT_FOUND', detail, { status });
  if (status === 429 || status >= 500) return new AppError('ARM.UNAVAILABLE', detail, { status });
  return new AppError('INTERNAL', detail, { status });
}

export class ArmClient {
  private readonly pipeline: Pipeline;
  private readonly client: HttpClient = createDefaultHttpClient();
  private readonly armUrl: string;

  constructor(private readonly options: ArmClientOptions) {
    this.armUrl = (options.armUrl ?? ARM_URL).replace(/\/+$/, '');
    this.pipeline = createPipelineFromOptions({ agent: trustAgent(options.trust), retryOptions: { maxRetries: options.maxRetries ?? 3 }, userAgentOptions: { userAgentPrefix: 'scbot' } });
  }

  /** A 2xx answer, or a typed ARM.* error. */
  async call(call: ArmCall): Promise<PipelineResponse> {
    let response: PipelineResponse;
    try {
      const token = await this.options.tokens.getToken();
      const request = createPipelineRequest({
        url: `${this.armUrl}${call.path}`, method: call.method, timeout: this.options.timeoutMs ?? 30_000,
        headers: createHttpHeaders({ authorization: `Bearer ${token}`, accept: 'application/json', 'content-type': 'application/json' }),
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
      });
      response = await this.pipeline.sendRequest(this.client, request);
    } catch (error) {
      if (isAppError(error)) throw error;
      const code = isRestError(error) && error.code ? ` (${error.code})` : '';
      throw new AppError('ARM.UNAVAILABLE', `${call.operation}: Azure Resource Manager could not be reached${code}.`, { cause: error });
    }
    this.options.logger?.debug({ operation: call.operation, status: response.status }, 'arm call');
    if (response.status >= 200 && response.status < 300) return response;
    throw armError(call.operation, response.status, response.bodyAsText ?? undefined);
  }
}
