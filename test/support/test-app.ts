/**
 * The app as the tests build it: the same composeApp as production, with the ports a test must replace and every
 * setting stated here once (the policy a test does not name: deny everything when an app id is set, the local demo
 * policy without one — exactly what the two modes use).
 */
import { composeApp, type App, type AppPorts, type AppSettings, type AppTuning, type RunningApp } from '../../bot/compose';
import { DEFAULT_CHANGE_SETTINGS } from '../../src/commands';
import { ALERT_DEFAULTS } from '../../src/config';
import { AppError } from '../../src/domain/errors';
import { DENY_ALL_POLICY } from '../../src/domain/policy';
import { LOOPBACK_SERVICE_URL_HOSTS, serviceUrlPolicy, TEAMS_SERVICE_URL_HOSTS } from '../../src/domain/service-url';
import { LOCAL_DEMO_POLICY } from '../../src/policy/policy-settings';
import type { AppSecrets, SecretVerifier, VaultSecrets } from '../../src/azure/secret-source.port';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { InMemoryPipelineAccess } from './in-memory-pipeline-access';
import { OtelTelemetry } from '../../src/telemetry/otel-telemetry';
import { NO_APP_REGISTRATIONS, NO_MANAGED_IDENTITIES, NO_MIGRATION, NO_ROLES, NO_VERIFICATION } from './federation-fakes';

const unreachable = (what: string) => async (): Promise<never> => {
  throw new AppError(what === 'vault' ? 'VAULT.UNAVAILABLE' : 'GRAPH.UNAVAILABLE', `${what} is not part of this test`);
};

/** Secret sources for tests that never rotate: any call fails as an unreachable service would. */
export const NO_APP_SECRETS: AppSecrets = { addPassword: unreachable('graph'), removePassword: unreachable('graph'), listPasswords: unreachable('graph') };
export const NO_VAULT: VaultSecrets = { current: unreachable('vault') };
export const NO_VERIFIER: SecretVerifier = { verify: unreachable('entra') };

export type TestPorts = Pick<AppPorts, 'devops' | 'clock' | 'logger'> & Partial<AppPorts>;

/** A token source that always has a token (GET /readyz's check), for apps whose Azure DevOps port is a fake. */
export const FAKE_DEVOPS_TOKENS = { getToken: async () => 'test-token' };

export function testPorts(ports: TestPorts): AppPorts {
  // A test about pipelines passes its own; the others see projects without pipelines or grants.
  return {
    store: new EmbeddedStore(), pipelines: new InMemoryPipelineAccess(), appSecrets: NO_APP_SECRETS, vaultSecrets: NO_VAULT, verifier: NO_VERIFIER,
    migration: NO_MIGRATION, appRegistrations: NO_APP_REGISTRATIONS, managedIdentities: NO_MANAGED_IDENTITIES, roles: NO_ROLES, verification: NO_VERIFICATION,
    devopsTokens: FAKE_DEVOPS_TOKENS, telemetry: new OtelTelemetry(), ...ports,
  };
}

export function testSettings(settings: Partial<AppSettings> = {}): AppSettings {
  const auth = settings.auth ?? {};
  return {
    projects: [], auth,
    policy: auth.appId ? DENY_ALL_POLICY : LOCAL_DEMO_POLICY,
    serviceUrls: auth.appId ? serviceUrlPolicy(TEAMS_SERVICE_URL_HOSTS, { allowHttp: false }) : serviceUrlPolicy(LOOPBACK_SERVICE_URL_HOSTS, { allowHttp: true }),
    changes: DEFAULT_CHANGE_SETTINGS, executorConcurrency: 8, readCacheSeconds: 0,
    // Scans only when a test asks (`alerts scan`, runNow).
    alerts: { ...ALERT_DEFAULTS, scanMinutes: 0 },
    ...settings,
  };
}

export type StartedApp = App & RunningApp;

/** composeApp + start on a free loopback port. */
export async function startTestApp(ports: TestPorts, settings: Partial<AppSettings> = {}, tuning: AppTuning = {}): Promise<StartedApp> {
  const app = composeApp(testPorts(ports), testSettings(settings), tuning);
  const running = await app.start();
  return Object.assign(app, running);
}
