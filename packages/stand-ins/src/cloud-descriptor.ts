/**
 * A running local cloud, described in a file so another process can use it: `npm run cloud -- --descriptor <file>`
 * writes it, `connectLocalCloud(<file>)` reads it back as the same CloudEndpoints a LocalCloud started in-process
 * offers. The bot's client secret and the CA certificate live in files beside the descriptor, readable by the
 * owner only (0600), so the descriptor itself can be shown or logged.
 */
import { chmod, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { get } from 'node:https';
import path from 'node:path';
import { z } from 'zod';
import type { CloudEndpoints } from './local-cloud';

export const DESCRIPTOR_VERSION = 1;

const descriptorSchema = z.object({
  version: z.literal(DESCRIPTOR_VERSION),
  pid: z.number().int(),
  organization: z.string().min(1),
  orgUrl: z.url(),
  authorityHost: z.url(),
  tenantId: z.string().min(1),
  bot: z.object({ appId: z.string().min(1), tenantId: z.string().min(1), servicePrincipalId: z.string().min(1), clientSecretFile: z.string().min(1) }),
  graphUrl: z.url(),
  armUrl: z.url(),
  keyVaultUrlTemplate: z.string().includes('{vault}'),
  caCertificateFile: z.string().min(1),
  requestsUrl: z.url(),
  /** App Service's IDENTITY_ENDPOINT, and the file holding IDENTITY_HEADER (a secret). */
  managedIdentity: z.object({ endpoint: z.url(), headerFile: z.string().min(1) }),
});

/** The descriptor file's JSON. File names are relative to the descriptor's folder. */
export type CloudDescriptor = z.infer<typeof descriptorSchema>;

/** A cloud in another process: its endpoints, and its request log over `_emulator/requests`. */
export interface ConnectedCloud extends CloudEndpoints {
  descriptor: CloudDescriptor;
  /** Every request the Azure DevOps stand-in served, oldest first. */
  requests(): Promise<ServedRequest[]>;
  /** Nothing to stop: the cloud belongs to its own process. Present so callers can treat both kinds alike. */
  close(): Promise<void>;
}

export interface ServedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
}

const besides = (descriptorFile: string, suffix: string): string => `${path.basename(descriptorFile)}.${suffix}`;

async function writePrivate(file: string, text: string): Promise<void> {
  // Write then rename: a reader polling for the file never sees half of it.
  const partial = `${file}.partial-${process.pid}`;
  await writeFile(partial, text, { mode: 0o600 });
  await chmod(partial, 0o600);
  await rename(partial, file);
}

/** Writes the secret, the CA and then the descriptor (last, so its presence means the rest is there). */
export async function writeCloudDescriptor(file: string, cloud: CloudEndpoints): Promise<CloudDescriptor> {
  const dir = path.dirname(path.resolve(file));
  const secretFile = besides(file, 'bot-secret');
  const caFile = besides(file, 'ca.pem');
  const identityHeaderFile = besides(file, 'identity-header');
  await writePrivate(path.join(dir, secretFile), cloud.bot.clientSecret);
  await writePrivate(path.join(dir, identityHeaderFile), cloud.managedIdentity.header);
  await writePrivate(path.join(dir, caFile), cloud.trust.caCertificatePem);
  const descriptor: CloudDescriptor = {
    version: DESCRIPTOR_VERSION, pid: process.pid,
    organization: cloud.devops.organization, orgUrl: cloud.devops.orgUrl,
    authorityHost: cloud.entra.authorityHost, tenantId: cloud.entra.tenantId,
    bot: { appId: cloud.bot.appId, tenantId: cloud.bot.tenantId, servicePrincipalId: cloud.bot.servicePrincipalId, clientSecretFile: secretFile },
    graphUrl: cloud.graphUrl, armUrl: cloud.armUrl, keyVaultUrlTemplate: cloud.keyVaultUrlTemplate, caCertificateFile: caFile,
    requestsUrl: `${cloud.devops.orgUrl}/_emulator/requests`,
    managedIdentity: { endpoint: cloud.managedIdentity.endpoint, headerFile: identityHeaderFile },
  };
  await writePrivate(path.resolve(file), `${JSON.stringify(descriptor, null, 2)}\n`);
  return descriptor;
}

/** Removes what writeCloudDescriptor wrote (a clean stop; after kill -9 the files stay, pointing at nothing). */
export async function removeCloudDescriptor(file: string): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  for (const name of [path.basename(file), besides(file, 'bot-secret'), besides(file, 'ca.pem'), besides(file, 'identity-header')]) {
    await rm(path.join(dir, name), { force: true });
  }
}

export async function readCloudDescriptor(file: string): Promise<CloudDescriptor> {
  const parsed = descriptorSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.success) throw new Error(`Invalid cloud descriptor ${file}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** GET a JSON document from the cloud: plain fetch over http; over https (--devops-https) trusting the cloud's CA. */
async function getJson(url: string, caCertificatePem: string): Promise<unknown> {
  if (url.startsWith('http:')) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
    return response.json();
  }
  return new Promise((resolve, reject) => {
    get(url, { ca: caCertificatePem }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`GET ${url} answered ${res.statusCode}`));
        else resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      });
    }).on('error', reject);
  });
}

/** Connects to the cloud a descriptor describes (started by `npm run cloud`). */
export async function connectLocalCloud(file: string): Promise<ConnectedCloud> {
  const descriptor = await readCloudDescriptor(file);
  const dir = path.dirname(path.resolve(file));
  const clientSecret = (await readFile(path.join(dir, descriptor.bot.clientSecretFile), 'utf8')).trim();
  const caCertificatePem = await readFile(path.join(dir, descriptor.caCertificateFile), 'utf8');
  const identityHeader = (await readFile(path.join(dir, descriptor.managedIdentity.headerFile), 'utf8')).trim();
  const { bot } = descriptor;
  return {
    descriptor,
    devops: { organization: descriptor.organization, orgUrl: descriptor.orgUrl },
    entra: { authorityHost: descriptor.authorityHost, tenantId: descriptor.tenantId },
    bot: { appId: bot.appId, tenantId: bot.tenantId, servicePrincipalId: bot.servicePrincipalId, clientSecret },
    identityConfig: { kind: 'client-secret', tenantId: bot.tenantId, clientId: bot.appId, clientSecret, authorityHost: descriptor.authorityHost },
    trust: { caCertificatePem },
    graphUrl: descriptor.graphUrl,
    armUrl: descriptor.armUrl,
    keyVaultUrlTemplate: descriptor.keyVaultUrlTemplate,
    managedIdentity: { endpoint: descriptor.managedIdentity.endpoint, header: identityHeader },
    requests: async () => (await getJson(descriptor.requestsUrl, caCertificatePem)) as ServedRequest[],
    close: async () => undefined,
  };
}
