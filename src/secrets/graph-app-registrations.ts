/**
 * AppRegistrations over Microsoft Graph v1.0: read an app by its client id (alternate key `(appId='…')`) and add a
 * federated identity credential to it. Needs `Application.ReadWrite.OwnedBy` with the bot an owner of the app.
 */
import { AppError, isAppError } from '../domain/errors';
import type { AppRegistration, AppRegistrations, FederatedCredential, NewApp } from './federated-identities.port';
import { graphError } from './graph-errors';
import { GraphClient, type GraphClientOptions } from './graph-client';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function appPath(appId: string): string {
  // Client ids are GUIDs; refusing anything else keeps a name from ever being spliced into the URL.
  if (!GUID.test(appId)) throw new AppError('GRAPH.NOT_FOUND', 'There is no app registration with that client id (not a GUID).');
  return `/v1.0/applications(appId='${appId}')`;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export class GraphAppRegistrations implements AppRegistrations {
  private readonly graph: GraphClient;

  constructor(options: GraphClientOptions) {
    this.graph = new GraphClient(options);
  }

  async find(appId: string): Promise<AppRegistration | null> {
    if (!GUID.test(appId)) return null;
    const reply = await this.graph.send({ operation: 'readApplication', method: 'GET', path: `${appPath(appId)}?$select=id,appId,displayName,signInAudience` });
    if (reply.status === 404) return null;
    if (reply.status < 200 || reply.status >= 300) throw graphError('readApplication', reply.status, reply.bodyAsText ?? undefined, reply.headers.get('retry-after'));
    const app = JSON.parse(reply.bodyAsText ?? '{}') as Record<string, unknown>;
    const out: AppRegistration = { objectId: String(app.id), appId: String(app.appId ?? appId) };
    if (str(app.displayName)) out.displayName = str(app.displayName);
    if (str(app.signInAudience)) out.signInAudience = str(app.signInAudience);
    return out;
  }

  async addFederatedCredential(appId: string, credential: FederatedCredential): Promise<'created' | 'exists'> {
    const body = { name: credential.name, issuer: credential.issuer, subject: credential.subject, audiences: credential.audiences, description: credential.description ?? null };
    try {
      await this.graph.call({ operation: 'addFederatedIdentityCredential', method: 'POST', path: `${appPath(appId)}/federatedIdentityCredentials`, body });
      return 'created';
    } catch (error) {
      // A name or issuer/subject already taken: harmless when it is this very credential (a retry after a crash).
      if (isAppError(error) && (error.status === 400 || error.status === 409) && (await this.holds(appId, credential))) return 'exists';
      throw error;
    }
  }

  async removeFederatedCredential(appId: string, name: string): Promise<void> {
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$/.test(name)) throw new Error('not a federated credential name');
    const reply = await this.graph.send({ operation: 'removeFederatedIdentityCredential', method: 'DELETE', path: `${appPath(appId)}/federatedIdentityCredentials/${name}` });
    if (reply.status === 404 || (reply.status >= 200 && reply.status < 300)) return;
    throw graphError('removeFederatedIdentityCredential', reply.status, reply.bodyAsText ?? undefined, reply.headers.get('retry-after'));
  }

  async servicePrincipalId(appId: string): Promise<string | null> {
    if (!GUID.test(appId)) return null;
    const reply = await this.graph.send({ operation: 'readServicePrincipal', method: 'GET', path: `/v1.0/servicePrincipals(appId='${appId}')?$select=id,appId` });
    if (reply.status === 404) return null;
    if (reply.status < 200 || reply.status >= 300) throw graphError('readServicePrincipal', reply.status, reply.bodyAsText ?? undefined, reply.headers.get('retry-after'));
    return str((JSON.parse(reply.bodyAsText ?? '{}') as Record<string, unknown>).id) ?? null;
  }

  /**
   * POST /applications (single tenant), then POST /servicePrincipals for it. INFERRED: that the caller is then an owner
   * of what it made (Application.ReadWrite.OwnedBy "allows the app to create other applications, and fully manage
   * those applications"); the create step's next call (the federated credential) fails loudly if it is not.
   */
  async createApp(displayName: string): Promise<NewApp> {
    const made = await this.graph.call({ operation: 'createApplication', method: 'POST', path: '/v1.0/applications', body: { displayName, signInAudience: 'AzureADMyOrg' } });
    const app = JSON.parse(made.bodyAsText ?? '{}') as Record<string, unknown>;
    const appId = String(app.appId ?? '');
    const objectId = String(app.id ?? '');
    return { appId, objectId, servicePrincipalId: await this.ensureServicePrincipal(appId) };
  }

  async findByDisplayName(displayName: string): Promise<NewApp | null> {
    // OData string literal: a quote is doubled. The name is the bot's own (plan id in it), never free text.
    const filter = encodeURIComponent(`displayName eq '${displayName.replace(/'/g, "''")}'`);
    const reply = await this.graph.call({ operation: 'findApplication', method: 'GET', path: `/v1.0/applications?$filter=${filter}&$select=id,appId,displayName` });
    const found = ((JSON.parse(reply.bodyAsText ?? '{}') as { value?: Array<Record<string, unknown>> }).value ?? []).find((a) => a.displayName === displayName);
    if (!found) return null;
    const appId = String(found.appId ?? '');
    return { appId, objectId: String(found.id ?? ''), servicePrincipalId: await this.servicePrincipalId(appId) };
  }

  async deleteApp(objectId: string): Promise<void> {
    if (!GUID.test(objectId)) throw new Error('not an application object id');
    const reply = await this.graph.send({ operation: 'deleteApplication', method: 'DELETE', path: `/v1.0/applications/${objectId}` });
    if (reply.status === 404 || (reply.status >= 200 && reply.status < 300)) return;
    throw graphError('deleteApplication', reply.status, reply.bodyAsText ?? undefined, reply.headers.get('retry-after'));
  }

  /** The app's service principal, created when it has none yet (a resumed run may find it made). */
  async ensureServicePrincipal(appId: string): Promise<string> {
    const existing = await this.servicePrincipalId(appId);
    if (existing) return existing;
    const made = await this.graph.call({ operation: 'createServicePrincipal', method: 'POST', path: '/v1.0/servicePrincipals', body: { appId } });
    return String((JSON.parse(made.bodyAsText ?? '{}') as Record<string, unknown>).id ?? '');
  }

  private async holds(appId: string, credential: FederatedCredential): Promise<boolean> {
    const reply = await this.graph.call({ operation: 'listFederatedIdentityCredentials', method: 'GET', path: `${appPath(appId)}/federatedIdentityCredentials` });
    const list = (JSON.parse(reply.bodyAsText ?? '{}') as { value?: Array<Record<string, unknown>> }).value ?? [];
    return list.some((f) => same(String(f.issuer ?? ''), credential.issuer) && String(f.subject ?? '') === credential.subject);
  }
}
