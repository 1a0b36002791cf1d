import { parseArgs } from 'node:util';
import { loadConfig, type AzureConfig, type Config } from '../src/config';
import { systemClock } from '../src/domain/time';
import { AppError, isAppError } from '../src/domain/errors';
import { serviceUrlPolicy } from '../src/domain/service-url';
import { createLogger, type Logger } from '../src/logging';
import { changeSettings, cloudPorts } from './cloud-ports';
import { composeApp } from './compose';
import { openPolicy } from '../src/policy/open-policy';
import { namesGroups } from '../src/domain/policy-rules';
import type { LocalOptions } from './local-mode';
import { startTelemetry } from '../src/telemetry/start-telemetry';
import type { McpWiring } from '../src/mcp/create-mcp-endpoint';

/**
 * Entry point. `npm start` with no real configuration runs local mode (stand-ins + Agents Playground); with
 * configuration it talks to Azure DevOps and Teams. Either way the app is built by bot/compose.ts.
 *   npm start -- [--seed <file>] [--no-playground]
 *   npm start -- --cloud <descriptor file> [--no-playground]   (a local cloud started by `npm run cloud`)
 * The built artifact (`npm run build`, dist/bot/main.js, started with `node`) is Azure mode only: local mode, the
 * stand-ins and the playground are development packages, imported below only when local mode starts from source.
 */
interface CliOptions {
  seedPath?: string;
  cloudDescriptor?: string;
  playground: boolean;
}

function readCli(argv: string[]): CliOptions {
  const { values } = parseArgs({
    args: argv,
    options: { seed: { type: 'string' }, cloud: { type: 'string' }, 'no-playground': { type: 'boolean', default: false } },
    strict: true,
  });
  if (values.seed && values.cloud) throw new Error('--seed and --cloud exclude each other: a running cloud already has its seed.');
  return { seedPath: values.seed, cloudDescriptor: values.cloud, playground: !values['no-playground'] };
}

async function startAzure(config: Readonly<AzureConfig>, logger: Logger): Promise<() => Promise<void>> {
  // Defence in depth: an empty app id turns inbound Bot Framework auth off, which is only acceptable locally.
  if (!config.bot.appId) throw new Error('MicrosoftAppId is required outside local mode');
  // An unusable SCBOT_POLICY_FILE stops the start here, naming each line and field.
  const policySource = await openPolicy({ ...(config.policyFile ? { file: config.policyFile } : {}), settings: config.policy, clock: systemClock, logger });
  const ports = cloudPorts({ identity: config.identity, devops: config.devops, store: config, policy: config.policy, policyFileNamesGroups: namesGroups(policySource.current()), clock: systemClock, logger });
  const app = composeApp(ports, {
    projects: config.devops.projects, auth: { ...config.bot }, policy: config.policy, policySource,
    serviceUrls: serviceUrlPolicy(config.bot.allowedServiceUrlHosts, { allowHttp: false }),
    changes: changeSettings(config, config.identity.tenantId ?? config.bot.tenantId), executorConcurrency: config.executorConcurrency, readCacheSeconds: config.readCacheSeconds, alerts: config.alerts,
    retention: config.retention, drainGraceMs: config.drainGraceSeconds * 1000, ...(config.mcp.enabled ? { mcp: azureMcp(config) } : {}),
  });
  // Every interface: in a container or App Service the platform's front end connects from outside loopback.
  const running = await app.start({ port: config.port, host: '0.0.0.0' });
  logger.info({ url: running.url, org: config.devops.orgUrl }, 'scbot listening');
  return () => app.close();
}

/** The MCP endpoint takes the bot's tenant's Entra tokens for the bot's own app (config checked URL and tenant). */
function azureMcp(config: Readonly<AzureConfig>): McpWiring {
  const appId = config.bot.appId;
  const tenantId = config.mcp.tenantId ?? config.bot.tenantId ?? config.identity.tenantId;
  if (!appId || !tenantId || !config.mcp.url) throw new Error('SCBOT_MCP_ENABLED needs MicrosoftAppId, a tenant id and SCBOT_MCP_URL');
  return {
    auth: { appId, audience: config.mcp.audience ?? `api://${appId}`, tenantId, authorityHost: (config.identity.authorityHost ?? 'https://login.microsoftonline.com').replace(/\/+$/, ''), resourceUrl: config.mcp.url },
    callsPerMinute: config.mcp.callsPerMinute,
  };
}

/** Under tsx the entry is bot/main.ts; the build (tools/build.ts) leaves local mode out of dist/bot/main.js. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');

async function start(config: Config, cli: CliOptions, logger: Logger): Promise<() => Promise<void>> {
  if (config.mode === 'azure') return startAzure(config, logger);
  if (!FROM_SOURCE) {
    throw new AppError('CONFIG.INVALID', 'No Azure configuration is set (MicrosoftAppId, AZURE_DEVOPS_ORG_URL, ...: docs/configuration.md). '
      + 'This built artifact runs Azure mode only; local mode runs from the source tree: npm ci && npm start.');
  }
  const { localBanner, startLocal, startLocalOnCloud } = await import('./local-mode');
  const options: LocalOptions = {
    port: config.port, seedPath: cli.seedPath, playground: cli.playground, logger, clock: systemClock,
    readCacheSeconds: config.readCacheSeconds, stateDir: config.stateDir, storage: config.storage, changes: changeSettings(config), policy: config.policy,
    ...(config.policyFile ? { policyFile: config.policyFile } : {}), executorConcurrency: config.executorConcurrency, alerts: config.alerts, retention: config.retention, drainGraceMs: config.drainGraceSeconds * 1000,
    mcp: config.mcp.enabled ? { callsPerMinute: config.mcp.callsPerMinute } : false,
  };
  const stack = cli.cloudDescriptor ? await startLocalOnCloud(cli.cloudDescriptor, options) : await startLocal(options);
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
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  try {
    // Before the app is built, so its first span and counter already reach the SDK; flushed after it drained.
    const telemetry = await startTelemetry(config.telemetry, logger);
    const close = await start(config, cli, logger);
    stopOnSignals(async () => {
      await close();
      await telemetry?.shutdown();
    }, logger);
  } catch (error) {
    logger.error({ err: error }, 'start-up failed');
    fail(error);
  }
}

void main();
