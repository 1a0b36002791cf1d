import type { RequestOptions } from 'node:http';
import type { IHttpClientResponse, IRequestHandler } from 'azure-devops-node-api/interfaces/common/VsoBaseInterfaces.js';

/** Hosts of Azure DevOps Services itself; a resource area may live on one of them rather than on the org URL. */
const AZURE_DEVOPS_HOSTS = [/^dev\.azure\.com$/i, /\.dev\.azure\.com$/i, /\.visualstudio\.com$/i];

export const isAzureDevOpsHost = (host: string): boolean => AZURE_DEVOPS_HOSTS.some((re) => re.test(host));

/**
 * Bearer authentication whose token can change between calls. The client's own BearerCredentialHandler keeps one
 * token for its lifetime and `prepareRequest` is synchronous, so the adapter awaits the token source before each
 * call and hands the fresh token here: Entra tokens refresh without rebuilding the WebApi (and its discovery).
 */
export class RefreshableBearerHandler implements IRequestHandler {
  private token: string | undefined;

  constructor(private readonly orgHost: string) {}

  use(token: string): void {
    this.token = token;
  }

  prepareRequest(options: RequestOptions): void {
    const headers = options.headers as Record<string, string | number | string[] | undefined> | undefined;
    if (!headers || Array.isArray(headers)) return;
    // Same as the client's handlers: ask for 401 instead of a redirect to the sign-in page.
    headers['X-TFS-FedAuthRedirect'] = 'Suppress';
    // Redirects run through here too: never hand the token to a host that is not Azure DevOps.
    if (this.token && this.trusted(options.host ?? options.hostname ?? '')) headers['Authorization'] = `Bearer ${this.token}`;
  }

  canHandleAuthentication(_response: IHttpClientResponse): boolean {
    return false;
  }

  handleAuthentication(): Promise<IHttpClientResponse> {
    return Promise.reject(new Error('RefreshableBearerHandler does not handle authentication challenges'));
  }

  private trusted(host: string): boolean {
    const name = host.toLowerCase();
    return name === this.orgHost.toLowerCase() || isAzureDevOpsHost(name);
  }
}
