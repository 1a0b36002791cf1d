import { parseArgs } from 'node:util';
import { loadConfig, type AzureConfig, type Config } from '../src/config';
import { systemClock } from '../src/clock';
import { isAppError } from '../src/domain/errors';
import { serviceUrlPolicy } from '../src/domain/service-url';
import { createLogger, type Logger } from '../src/logging';
import { AZURE_DEVOPS_SCOPE, createCredential, RefreshingTokenSource } from '../src/identity/index';
import { createAzureDevOpsServiceEndpoints } from '../src/devops/index';
import { CachingServiceEndpoints } from '../src/devops/caching-service-endpoints';
import type { ChangeSettings } from '../src/commands/command';
import { StoreAuditLog } from '../src/audit/store-audit-log';
import { StorePlanRepository } from '../src/execution/store-plan-repository';
import { createStore, describeStore } from '../src/store/store-factory';
import { RetentionSweeper } from '../src/retention/retention-sweeper';
import { startApp } from './app';
import { buildApprovals } from './approvals-wiring';
import { buildAlertRadar } from './alerts-wiring';
import { localBanner, startLocal } from './local-mode';
import { CachingMembershipSource, GraphMembershipSource, policyNamesGroups } from '../src/policy/index';
import { GRAPH_SCOPE } from '../src/secrets/index';

/**
 * Composition root: the only place real adapters are built. `npm start` with no real configuration runs local
 * mode (emulators + Agents Playground); with configuration it talks to Azure DevOps and Teams.
 *   npm start -- [--seed <file>] [--no-playground]
 */
interface CliOptions {
  seedPath?: string;
  playground: boolean;
}

function readCli(argv: string[]): CliOptions {
  const { values } = parseArgs({
    args: argv,
    options: { seed: { type: 'string' }, 'no-playground': { type: 'boolean', default: false } },
    strict: true,
  });
  return { seedPath: values.seed, playground: !values['no-playground'] };
}

function changeSettings(config: Config): Partial<ChangeSettings> {
  return { secretLifetimeDays: config.secretLifetimeDays, retireAfterHours: config.secretRetireAfterHours };
}

async function startAzure(config: Readonly<AzureConfig>, logger: Logger): Promise<() => Promise<void>> {
  // Defence in depth: an empty app id turns inbound Bot Framework auth off, which is only acceptable locally.
  if (!config.bot.appId) throw new Error('MicrosoftAppId is required outside local mode');
  const credential = createCredential(config.identity, {});
  const tokens = new RefreshingTokenSource(credential, AZURE_DEVOPS_SCOPE, systemClock);
  const devops = createAzureDevOpsServiceEndpoints(config.devops, tokens, { clock: systemClock, logger });
  const endpoints = new CachingServiceEndpoints(devops, systemClock, config.readCacheSeconds * 1000);
  // One store for plans and the audit trail: the shared Azure Table when configured (several instances),
  // otherwise the embedded store (one writer per state directory).
  const store = createStore(config, credential);
  logger.info({ store: describeStore(config) }, 'state store');
  const plans = new StorePlanRepository(store);
  const audit = new StoreAuditLog(store);
  // Graph is only asked (and its permissions only needed) when the policy names groups.
  const membership = policyNamesGroups(config.policy)
    ? new CachingMembershipSource(new GraphMembershipSource({ tokens: new RefreshingTokenSource(credential, GRAPH_SCOPE, systemClock), logger }), systemClock)
    : undefined;
  const { approvals, retirement, appSecrets } = buildApprovals({
    store, plans, audit, devops, credential, clock: systemClock, logger, policy: config.policy, graceMs: config.secretRetireAfterHours * 3_600_000,
    concurrency: config.executorConcurrency,
    ...(membership ? { membership } : {}),
  });
  const alerts = buildAlertRadar({ config: config.alerts, store, devops, passwords: appSecrets, projects: config.devops.projects, clock: systemClock, logger });
  const app = await startApp(
    {
      endpoints, plans, audit, changes: changeSettings(config), projects: config.devops.projects, logger, clock: systemClock, auth: { ...config.bot },
      policy: config.policy, ...(membership ? { membership } : {}), approvals, alerts,
      serviceUrls: serviceUrlPolicy(config.bot.allowedServiceUrlHosts, { allowHttp: false }),
    },
    // Every interface: in a container or App Service the platform's front end connects from outside loopback.
    { port: config.port, host: '0.0.0.0' },
  );
  logger.info({ url: app.url, org: config.devops.orgUrl }, 'scbot listening');
  // Plans approved before a restart continue where they stopped (the executor resumes per item).
  await approvals.resume();
  // Scans on the schedule; with several instances the Store's lease keeps it to one scan per interval.
  const stopScans = alerts.start();
  const retention = new RetentionSweeper({ store, plans, clock: systemClock, logger, settings: config.retention });
  const stopRetention = retention.start();
  return async () => {
    stopRetention();
    await retention.idle();
    stopScans();
    retirement.stop();
    await alerts.idle();
    await app.close();
  };
}

async function start(config: Config, cli: CliOptions, logger: Logger): Promise<() => Promise<void>> {
  if (config.mode === 'azure') return startAzure(config, logger);
  const stack = await startLocal({
    port: config.port, seedPath: cli.seedPath, playground: cli.playground, logger, clock: systemClock,
    readCacheSeconds: config.readCacheSeconds, stateDir: config.stateDir, storage: config.storage, changes: changeSettings(config), policy: config.policy,
    executorConcurrency: config.executorConcurrency, alerts: config.alerts, retention: config.retention,
  });
  console.log(localBanner(stack));
  return () => stack.close();
}

function stopOnSignals(close: () => Promise<void>, logger: Logger): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    close().then(() => process.exit(0), (error: unknown) => {
      logger.error({ err: error }, 'error while stopping');
      process.exit(1);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** A configuration or start-up problem is the operator's to fix: say what, without a stack trace. */
function fail(error: unknown): never {
  const message = isAppError(error) || error instanceof Error ? error.message : String(error);
  console.error(`scbot did not start.\n${message}`);
  process.exit(1);
}

async function main(): Promise<void> {
  let cli: CliOptions;
  let config: Config;
  try {
    cli = readCli(process.argv.slice(2));
    config = loadConfig(process.env);
  } catch (error) {
    fail(error);
  }
  const logger = createLogger({ level: config.logLevel });
  try {
    stopOnSignals(await start(config, cli, logger), logger);
  } catch (error) {
    logger.error({ err: error }, 'start-up failed');
    fail(error);
  }
}

void main();
