/**
 * Key Vault stand-in (https on loopback) for the real @azure/keyvault-secrets SecretClient. It speaks the
 * challenge protocol: an unauthenticated request gets 401 with `WWW-Authenticate: Bearer authorization="<authority>/<tenant>",
 * resource="https://vault.azure.net"`; the SDK then asks the credential for that resource's token and retries.
 * Each vault has its own host, as `https://{vault}.vault.azure.net` does: `https://{vault}.vault.localhost:<port>`
 * (names under .localhost are loopback, RFC 6761 §6.3; a client resolves them to 127.0.0.1 itself, Node's resolver
 * does not). A secret's id is `{vault URL}/secrets/{name}/{version}`, the shape the SDK parses, and the vault URL it
 * derives from the id (`properties.vaultUrl`, the id's origin) is the one that was called.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { systemClock } from '../clock';
import type { Clock } from '../clock';
import type { StandInLogger as Logger } from '../logger';
import type { AccessTokenClaims, VerifyAccessTokenOptions } from '../entra/token-issuer';
import { clientAppIdOf } from '../entra/access-token-claims';
import { VAULT_HOST_SUFFIX, type TlsCertificate } from '../entra/tls-certificate';
import { bearerToken, requestTarget, sendJson, startJsonServer } from '../https-json';
import { VaultStore, type SecretVersion, type SeedKeyVaults } from './vault-store';

export const KEY_VAULT_RESOURCE = 'https://vault.azure.net';

export interface KeyVaultEmulatorOptions {
  tls: TlsCertificate;
  /** e.g. https://localhost:50100/<tenantId>: named in the challenge, where the SDK's credential gets its token. */
  authority: string;
  verifyAccessToken: (token: string, options: VerifyAccessTokenOptions) => AccessTokenClaims | null;
  seed?: SeedKeyVaults;
  clock?: Clock;
  port?: number;
  /** Whether this caller may read secrets in this vault (RBAC "Key Vault Secrets User"); default: everyone. */
  canRead?: (vault: string, claims: AccessTokenClaims) => boolean;
  logger?: Logger;
}

export interface KeyVaultRequestRecord {
  method: string;
  /** The vault the host named (lower case), or '' when the host names none. */
  vault: string;
  path: string;
  status: number;
  authenticated: boolean;
}

export interface KeyVaultEmulator {
  origin: string;
  /** `https://{vault}.vault.localhost:<port>`: the vault URL template for KeyVaultSecrets. */
  urlTemplate: string;
  vaultUrl(vault: string): string;
  store: VaultStore;
  requests: readonly KeyVaultRequestRecord[];
  close(): Promise<void>;
}

const SECRET_PATH = /^\/secrets\/([^/]+)(?:\/([^/]*))?\/?$/;

/** The vault a Host header names (`kv-a.vault.localhost:50100` → `kv-a`), or '' for any other host. */
function vaultOfHost(host: string | undefined): string {
  const name = (host ?? '').replace(/:\d+$/, '').toLowerCase();
  const label = name.endsWith(`.${VAULT_HOST_SUFFIX}`) ? name.slice(0, -VAULT_HOST_SUFFIX.length - 1) : '';
  return /^[a-z0-9-]+$/.test(label) ? label : '';
}
const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
const vaultUrlOf = (vault: string, port: number): string => `https://${vault}.${VAULT_HOST_SUFFIX}:${port}`;

function kvError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: { code, message } }, headers);
}

function bundle(vaultUrl: string, secret: SecretVersion): object {
  const attributes: Record<string, unknown> = {
    enabled: secret.enabled, created: seconds(secret.created), updated: seconds(secret.created),
    recoveryLevel: 'Recoverable+Purgeable', recoverableDays: 90,
  };
  if (secret.expires) attributes.exp = seconds(secret.expires);
  return { value: secret.value, id: `${vaultUrl}/secrets/${secret.name}/${secret.version}`, contentType: secret.contentType, attributes, tags: {} };
}

function authenticate(options: KeyVaultEmulatorOptions, req: IncomingMessage, res: ServerResponse): AccessTokenClaims | null {
  const challenge = { 'www-authenticate': `Bearer authorization="${options.authority}", resource="${KEY_VAULT_RESOURCE}"` };
  const token = bearerToken(req);
  if (!token) {
    kvError(res, 401, 'Unauthorized', 'AKV10000: Request is missing a Bearer or PoP token.', challenge);
    return null;
  }
  const claims = options.verifyAccessToken(token, { audience: KEY_VAULT_RESOURCE });
  if (!claims) kvError(res, 401, 'Unauthorized', 'AKV10022: Invalid audience, issuer or signature.', challenge);
  return claims;
}

function answer(options: KeyVaultEmulatorOptions, store: VaultStore, port: number, req: IncomingMessage, res: ServerResponse, record: KeyVaultRequestRecord): void {
  const url = requestTarget(req);
  if (!url.searchParams.get('api-version')) return kvError(res, 400, 'BadParameter', 'The request URI contains an invalid or missing api-version.');
  const claims = authenticate(options, req, res);
  if (!claims) return;
  record.authenticated = true;
  const vault = record.vault;
  if (!vault) return kvError(res, 404, 'NotFound', `Vaults answer at https://{vault}.${VAULT_HOST_SUFFIX}:${port}, not at this host.`);
  const match = SECRET_PATH.exec(url.pathname);
  if (!match) return kvError(res, 404, 'NotFound', `No route for ${url.pathname}.`);
  if (req.method !== 'GET') return kvError(res, 405, 'BadParameter', 'Only GET is supported by this stand-in.');
  const [, name = '', version] = match.map((p) => (p === undefined ? p : decodeURIComponent(p)));
  if (!store.hasVault(vault)) return kvError(res, 404, 'VaultNotFound', `The vault '${vault}' does not exist.`);
  if (options.canRead && !options.canRead(vault, claims)) {
    return kvError(res, 403, 'Forbidden', `Caller is not authorized to perform action on resource. Action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'. Caller: appid=${clientAppIdOf(claims)}`);
  }
  const secret = store.get(vault, name, version);
  if (!secret) return kvError(res, 404, 'SecretNotFound', `A secret with (name/id) ${name} was not found in this key vault.`);
  if (!secret.enabled) return kvError(res, 403, 'Forbidden', 'Operation get is not allowed on a disabled secret.');
  sendJson(res, 200, bundle(vaultUrlOf(vault, port), secret));
}

export async function startKeyVaultEmulator(options: KeyVaultEmulatorOptions): Promise<KeyVaultEmulator> {
  const clock = options.clock ?? systemClock;
  const store = new VaultStore(options.seed ?? {}, clock.now());
  const log: KeyVaultRequestRecord[] = [];
  const ready: { port: number } = { port: 0 };
  const server = await startJsonServer(options.tls, options.port ?? 0, async (req, res) => {
    // The SDK's first request of a challenge carries no body; nothing here reads one, but drain it.
    for await (const chunk of req as AsyncIterable<Buffer>) void chunk;
    const record: KeyVaultRequestRecord = { method: req.method ?? 'GET', vault: vaultOfHost(req.headers.host), path: requestTarget(req).pathname, status: 0, authenticated: false };
    log.push(record);
    res.on('finish', () => { record.status = res.statusCode; });
    answer(options, store, ready.port, req, res, record);
  }, (error) => options.logger?.error({ errorName: (error as Error)?.name }, 'key vault stand-in failed'));
  ready.port = server.port;
  return {
    origin: server.origin,
    urlTemplate: vaultUrlOf('{vault}', server.port),
    vaultUrl: (vault) => vaultUrlOf(vault.toLowerCase(), server.port),
    store,
    requests: log,
    close: () => server.close(),
  };
}
