/**
 * What the drill's bot process needs to reach a local cloud running in the test process: endpoints, the bot's
 * identity and the CA. Written owner-only (it holds the bot's local client secret) and removed with its folder.
 */
import { writeFile } from 'node:fs/promises';
import type { LocalCloud } from '../../../src/emulator';

export interface DrillCloud {
  identityConfig: LocalCloud['identityConfig'];
  trust: LocalCloud['trust'];
  orgUrl: string;
  graphUrl: string;
  keyVaultUrlTemplate: string;
  authorityHost: string;
}

export async function writeDrillCloud(file: string, cloud: LocalCloud): Promise<void> {
  const drill: DrillCloud = {
    identityConfig: cloud.identityConfig, trust: cloud.trust, orgUrl: cloud.devops.orgUrl,
    graphUrl: cloud.graphUrl, keyVaultUrlTemplate: cloud.keyVaultUrlTemplate, authorityHost: cloud.entra.authorityHost,
  };
  await writeFile(file, JSON.stringify(drill), { mode: 0o600 });
}
