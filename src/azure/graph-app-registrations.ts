/**
 * AppRegistrations over Microsoft Graph v1.0: read an app by its client id (alternate key `(appId='…')`) and add a
 * federated identity credential to it; register a new app under a key of the bot's own (`(uniqueName='…')`).
 * Needs `Application.ReadWrite.OwnedBy` with the bot an owner of the app.
 */
import { AppError, statusOf } from '../domain/errors';
import type { AccessTokenSource } from '../identity/access-token-source.port';
import type { AppRegistration, AppRegistrations, FederatedCredential, KeyedApp } from './federated-identities.port';
import { callerObjectId } from './caller-identity';
import { graphError } from './graph-errors';
import { GraphClient, type GraphClientOptions } from './graph-client';
import { GUID } from '../domain/guid';


function appPath(appId: string): string {
  // Client ids are GUIDs; refusing anything else keeps a name from ever being spliced into the URL.
  if (!GUID.test(appId)) throw new AppError('GRAPH.NOT_FOUND', 'There is no app registration with that client id (not a GUID).');
  return `/v1.0/applications(appId='${appId}')`;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** The bot's own random key (never free text); checked so nothing else is ever spliced into the URL. */
const KEY = /^[A-Za-z0-9-]{16,100}$/;

function keyPath(key: string): string {
  if (!KEY.test(key)) throw new Error('not an application key');
  return `/v1.0/applications(uniqueName='${key}')`;
}

function keyedOf(app: Record<string, unknown>): Omit<KeyedApp, 'servicePrincipalId' | 'ownedByCallerAlone'> {
  return { appId: String(app.appId ?? ''), objectId: String(app.id ?? ''), key: str(app.uniqueName) ?? null, signInAudience: str(app.signInAudience) ?? '' };
}

export class GraphAppRegistrations implements AppRegistrations {
  private readonly graph: GraphClient;
  private readonly tokens: AccessTokenSource;

  constructor(options: GraphClientOptions) {
    this.graph = new GraphClient(options);
    this.tokens = options.tokens;
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
      if ([400, 409].includes(statusOf(error) ?? 0) && (await this.holds(appId, credential))) return 'exists';
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
   * Upsert by alternate key: `PATCH /applications(uniqueName='…')` with `Prefer: create-if-missing` (Graph "Upsert
   * application"): 201 and the new app, or 204 when the key already names one (then read back and checked like any
   * other). INFERRED: that the caller is then the app's owner (Application.ReadWrite.OwnedBy "allows the app to create
   * other applications, and fully manage those applications"); a made app's next write fails loudly if it is not.
   */
  async registerApp(app: { displayName: string; key: string }): Promise<KeyedApp> {
    const reply = await this.graph.call({
      operation: 'registerApplication', method: 'PATCH', path: keyPath(app.key), headers: { prefer: 'create-if-missing' },
      body: { displayName: app.displayName, signInAudience: 'AzureADMyOrg' },
    });
    if (reply.status === 201) {
      // Made by this very call: its creator is its one owner, and the answer is read before replication could lag.
      const made = JSON.parse(reply.bodyAsText ?? '{}') as Record<string, unknown>;
      return { ...keyedOf(made), servicePrincipalId: null, ownedByCallerAlone: true };
    }
    const found = await this.findByKey(app.key);
    if (!found) throw new AppError('GRAPH.NOT_FOUND', 'registerApplication: Graph answered, but holds no app under its key.');
    return found;
  }

  async findByKey(key: string): Promise<KeyedApp | null> {
    const reply = await this.graph.send({ operation: 'readApplication', method: 'GET', path: `${keyPath(key)}?$select=id,appId,uniqueName,signInAudience` });
    if (reply.status === 404) return null;
    if (reply.status < 200 || reply.status >= 300) throw graphError('readApplication', reply.status, reply.bodyAsText ?? undefined, reply.headers.get('retry-after'));
    const app = keyedOf(JSON.parse(reply.bodyAsText ?? '{}') as Record<string, unknown>);
    return { ...app, servicePrincipalId: await this.servicePrincipalId(app.appId), ownedByCallerAlone: await this.ownedByCallerAlone(app.objectId) };
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

  /** The owners, as directoryObject ids (Graph gives type and id even without the right to read the objects). */
  private async ownedByCallerAlone(objectId: string): Promise<boolean> {
    if (!GUID.test(objectId)) return false;
    const reply = await this.graph.call({ operation: 'listApplicationOwners', method: 'GET', path: `/v1.0/applications/${objectId}/owners?$select=id` });
    const owners = ((JSON.parse(reply.bodyAsText ?? '{}') as { value?: Array<Record<string, unknown>> }).value ?? []).map((o) => String(o.id ?? '').toLowerCase());
    const me = callerObjectId(await this.tokens.getToken());
    return me !== undefined && owners.length === 1 && owners[0] === me;
  }

  private async holds(appId: string, credential: FederatedCredential): Promise<boolean> {
    const reply = await this.graph.call({ operation: 'listFederatedIdentityCredentials', method: 'GET', path: `${appPath(appId)}/federatedIdentityCredentials` });
    const list = (JSON.parse(reply.bodyAsText ?? '{}') as { value?: Array<Record<string, unknown>> }).value ?? [];
    return list.some((f) => same(String(f.issuer ?? ''), credential.issuer) && String(f.subject ?? '') === credential.subject);
  }
}
