/**
 * Azure Resource Manager stand-in (https on loopback, the local cloud's certificate): user-assigned managed
 * identities with federated identity credentials, and role assignments (arm-routes.ts), behind Bearer tokens from
 * the Entra stand-in for the management audience.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StandInLogger as Logger } from '../logger';
import type { AccessTokenClaims, VerifyAccessTokenOptions } from '../entra/token-issuer';
import type { TlsCertificate } from '../entra/tls-certificate';
import { bearerToken, readJson, requestTarget, sendJson, startJsonServer } from '../https-json';
import type { ArmStore } from './arm-store';
import { routeArm } from './arm-routes';
import { loseAnswer, OnceRules, type LostAnswer, type RequestMatch } from '../request-rules';

export const ARM_AUDIENCES = ['https://management.azure.com', 'https://management.azure.com/', 'https://management.core.windows.net/'];
export const ARM_SCOPE = 'https://management.azure.com/.default';

export interface ArmEmulatorOptions {
  store: ArmStore;
  tls: TlsCertificate;
  verifyAccessToken: (token: string, options: VerifyAccessTokenOptions) => AccessTokenClaims | null;
  port?: number;
  logger?: Logger;
}

export interface ArmEmulator {
  /** e.g. https://localhost:50124 — use it where https://management.azure.com goes. */
  url: string;
  store: ArmStore;
  /** The matching request is served (its write commits), then its answer is lost: a reset connection, or `how.status`. */
  loseAnswer(match: RequestMatch, how?: LostAnswer): void;
  close(): Promise<void>;
}

/**
 * ARM reads an empty path segment as nothing: `//subscriptions/{id}/…` is `/subscriptions/{id}/…` [obs: Microsoft's
 * Azure Backup REST docs (backup-azure-arm-userestapi-*.md) and the BOSH Azure CPI call
 * `https://management.azure.com//subscriptions/…`]. It is what @azure/arm-authorization sends for a scope given as
 * its docs show it, '/subscriptions/{id}', into the path template `/{scope}/providers/…`.
 */
const armPath = (pathname: string): string => decodeURIComponent(pathname).replace(/\/{2,}/g, '/');

async function handle(options: ArmEmulatorOptions, lostAnswers: OnceRules<LostAnswer>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = requestTarget(req);
  const path = armPath(url.pathname);
  const body = await readJson(req);
  const lost = lostAnswers.take(req.method ?? 'GET', path);
  const token = bearerToken(req);
  if (!token || !options.verifyAccessToken(token, { audience: ARM_AUDIENCES })) {
    return sendJson(res, 401, { error: { code: 'InvalidAuthenticationToken', message: 'The access token is missing or invalid.' } });
  }
  if (body === null) return sendJson(res, 400, { error: { code: 'InvalidRequestContent', message: 'The request content was invalid and could not be deserialized.' } });
  const reply = routeArm(options.store, (req.method ?? 'GET').toUpperCase(), path, url.searchParams, body);
  if (lost) return loseAnswer(res, lost);
  sendJson(res, reply.status, reply.body);
}

export async function startArmEmulator(options: ArmEmulatorOptions): Promise<ArmEmulator> {
  const lost = new OnceRules<LostAnswer>();
  const server = await startJsonServer(options.tls, options.port ?? 0, (req, res) => handle(options, lost, req, res), (error) => {
    options.logger?.error({ errorName: (error as Error)?.name }, 'arm stand-in failed');
  });
  return { url: server.origin, store: options.store, loseAnswer: (match, how = {}) => lost.add(match, how), close: () => server.close() };
}
