/**
 * The whole app (composeApp, as local mode builds it) over a DevOps emulator somewhere else — on a worker thread
 * (emulator-thread.ts) for benches whose bot must not share an event loop with the stand-in. The DevOps adapter is
 * the real one with a fixed token; Graph is an in-memory reader (every app has one secret whose end date derives
 * from its id); what the benches never reach fails as an unreachable service would.
 */
import { createHash } from 'node:crypto';
import { composeApp, type App, type AppSettings, type AppTuning, type RunningApp } from '../../bot/compose';
import { DEFAULT_CHANGE_SETTINGS } from '../../src/commands';
import { ALERT_DEFAULTS } from '../../src/config';
import { AzureDevOpsPipelineAccess } from '../../src/devops/azure-devops-pipeline-access';
import { AzureDevOpsServiceEndpoints } from '../../src/devops/azure-devops-service-endpoints';
import { azureDevOpsLanes } from '../../src/devops/devops-lanes';
import { addDays, systemClock, type Clock } from '../../src/domain/time';
import { AppError } from '../../src/domain/errors';
import { LOOPBACK_SERVICE_URL_HOSTS, serviceUrlPolicy } from '../../src/domain/service-url';
import type { Logger } from '../../src/logging';
import { LOCAL_DEMO_POLICY } from '../../src/policy/index';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { NO_TELEMETRY } from '../../src/telemetry/telemetry.port';
import { NO_APP_REGISTRATIONS, NO_MANAGED_IDENTITIES, NO_ROLES, NO_VERIFICATION } from '../../test/support/federation-fakes';

const unreachable = (what: string) => async (): Promise<never> => {
  throw new AppError('GRAPH.UNAVAILABLE', `${what} is not part of this bench`);
};

function hashedPasswords() {
  return {
    addPassword: unreachable('adding a secret'),
    removePassword: unreachable('removing a secret'),
    listPasswords: async (appId: string) => {
      const days = (createHash('sha256').update(appId).digest()[0] ?? 0) - 30;
      return [{ keyId: appId, endDateTime: addDays(systemClock.now(), days).toISOString() }];
    },
  };
}

/** `devops`: the app's Azure DevOps adapter (benches take lanes of it for work of their own, e.g. the inventory's). */
export type BenchApp = App & RunningApp & { botEndpoint: string; devops: AzureDevOpsServiceEndpoints };

export interface BenchAppOptions {
  /** Compose without the adapter's priority lanes (every caller in one lane), as a comparison. */
  oneLane?: boolean;
  /** The app's clock (a bench runs it ahead to let a window pass without waiting); the system clock by default. */
  clock?: Clock;
  tuning?: AppTuning;
}

export async function startBenchApp(orgUrl: string, logger: Logger, settings: Partial<AppSettings> = {}, options: BenchAppOptions = {}): Promise<BenchApp> {
  const devopsTokens = { getToken: async () => 'bench-token' };
  const devops = new AzureDevOpsServiceEndpoints({ orgUrl, tokens: devopsTokens, requestTimeoutMs: 120_000, maxAttempts: 3 });
  const app = composeApp({
    devops, pipelines: new AzureDevOpsPipelineAccess(devops), store: new EmbeddedStore(), appSecrets: hashedPasswords(),
    ...(options.oneLane ? {} : { lanes: azureDevOpsLanes(devops) }),
    vaultSecrets: { current: unreachable('Key Vault') }, verifier: { verify: unreachable('Entra') },
    migration: devops, appRegistrations: NO_APP_REGISTRATIONS, managedIdentities: NO_MANAGED_IDENTITIES, roles: NO_ROLES, verification: NO_VERIFICATION,
    clock: options.clock ?? systemClock, logger, devopsTokens, telemetry: NO_TELEMETRY,
  }, {
    projects: [], auth: {}, policy: LOCAL_DEMO_POLICY, serviceUrls: serviceUrlPolicy(LOOPBACK_SERVICE_URL_HOSTS, { allowHttp: true }),
    changes: DEFAULT_CHANGE_SETTINGS, executorConcurrency: 8, readCacheSeconds: 0,
    // Scans only when the bench asks (runNow); the unused check on, as the scan-cost bench runs it.
    alerts: { ...ALERT_DEFAULTS, scanMinutes: 0, unusedDays: 30 },
    ...settings,
  }, options.tuning);
  const running = await app.start();
  return Object.assign(app, running, { botEndpoint: `${running.url}/api/messages`, devops });
}
