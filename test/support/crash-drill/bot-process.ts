/**
 * The bot as its own process for the crash drill (test/e2e/crash-drill.test.ts): local mode's composition over a
 * local cloud that runs in the PARENT process, so the bot can be killed with SIGKILL and started again while the
 * emulated organization keeps its state. State comes from the environment exactly as in production
 * (SCBOT_STATE_DIR, or SCBOT_STORAGE_CONNECTION_STRING + SCBOT_STORAGE_TABLE, through loadConfig); leases, heartbeat
 * and sweep run at their production defaults on the system clock. Prints `bot ready <url>` once listening.
 * argv[2]: a JSON file (0600) with the cloud's endpoints, written by the parent (see cloud-endpoints-file.ts).
 */
import { readFile } from 'node:fs/promises';
import { cloudPorts } from '../../../bot/cloud-ports';
import { composeApp } from '../../../bot/compose';
import { DEFAULT_CHANGE_SETTINGS } from '../../../src/commands';
import { ALERT_DEFAULTS, loadConfig } from '../../../src/config';
import { systemClock } from '../../../src/domain/clock';
import { LOOPBACK_SERVICE_URL_HOSTS, serviceUrlPolicy } from '../../../src/domain/service-url';
import { createLogger } from '../../../src/logging';
import { LOCAL_DEMO_POLICY } from '../../../src/policy/policy-settings';
import type { DrillCloud } from './cloud-endpoints-file';

async function main(): Promise<void> {
  const cloud = JSON.parse(await readFile(process.argv[2] ?? '', 'utf8')) as DrillCloud;
  const config = loadConfig(process.env);
  const logger = createLogger({ level: 'warn' });
  const policy = { ...LOCAL_DEMO_POLICY, twoApproversOver: 1000 };
  const ports = cloudPorts({
    identity: cloud.identityConfig, devops: { orgUrl: cloud.orgUrl, projects: [], requestTimeoutMs: 30_000, maxAttempts: 5 },
    store: config, policy, clock: systemClock, logger,
    endpoints: { graphUrl: cloud.graphUrl, keyVaultUrlTemplate: cloud.keyVaultUrlTemplate, authorityHost: cloud.authorityHost, trust: cloud.trust },
  });
  const app = composeApp(ports, {
    projects: [], auth: {}, policy, serviceUrls: serviceUrlPolicy(LOOPBACK_SERVICE_URL_HOSTS, { allowHttp: true }),
    changes: DEFAULT_CHANGE_SETTINGS, executorConcurrency: Number(process.env.EXECUTOR_CONCURRENCY ?? 2), readCacheSeconds: 0,
    alerts: { ...ALERT_DEFAULTS, scanMinutes: 0 },
  });
  const running = await app.start({ port: 0, host: '127.0.0.1' });
  console.log(`bot ready ${running.url}`);
}

main().catch((error: unknown) => {
  console.error('bot process failed to start', (error as Error).message);
  process.exit(1);
});
