import { z } from 'zod';
import { AppError } from './domain/errors';
import { parseHostPatterns, TEAMS_SERVICE_URL_HOSTS } from './domain/service-url';
import type { PolicyConfig } from './domain/policy';
import { POLICY_SETTINGS, policyFromValues, policySchema } from './policy/policy-settings';
import { RETENTION_DEFAULTS, type RetentionSettings } from './retention/retention-settings';
import { TELEMETRY_SETTINGS, telemetryFromValues, telemetrySchema, type TelemetrySettings } from './telemetry/telemetry-settings';
import { INVENTORY_SETTINGS, inventoryFromValues, inventorySchema, type InventorySettings } from './inventory/inventory-settings';
import { GUID } from './domain/guid';
import { MCP_SETTINGS, mcpFromValues, mcpProblems, mcpSchema, type McpSettings } from './mcp/mcp-settings';

/**
 * Configuration, read once from the environment: typed, frozen, and failing fast with a readable message.
 *
 * Local mode (the embedded default) is chosen only when no real configuration is present at all; a partly
 * configured environment is an error rather than a silent fall-back to the emulator.
 */

export type CredentialKind = 'client-secret' | 'client-certificate' | 'managed-identity' | 'workload-identity' | 'default';
export type BotAppType = 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';

export interface IdentityConfig {
  kind: CredentialKind;
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  certificatePath?: string;
  federatedTokenFile?: string;
  authorityHost?: string;
}

export interface DevOpsConfig {
  orgUrl: string;
  /** Project names or ids the bot looks at; empty means every project the identity can see. */
  projects: string[];
  requestTimeoutMs: number;
  maxAttempts: number;
}

export interface BotConfig {
  appId: string;
  appPassword?: string;
  appType: BotAppType;
  tenantId?: string;
  /** Host patterns replies may go to (activity.serviceUrl); https only. Default: Teams' Bot Connector hosts. */
  allowedServiceUrlHosts: readonly string[];
  /** The Bot Framework's endpoints when they are not the public cloud's (all or none; botbuilder's own names). */
  endpoints?: Readonly<BotFrameworkEndpointSettings>;
}

/**
 * botbuilder's settings for a Bot Framework outside the public cloud (a private cloud; the built artifact's test
 * points them at local stand-ins). Given any of them, botbuilder uses only what is given, so all are required.
 */
export interface BotFrameworkEndpointSettings {
  ToBotFromChannelOpenIdMetadataUrl: string;
  ToBotFromChannelTokenIssuer: string;
  ToBotFromEmulatorOpenIdMetadataUrl: string;
  ToChannelFromBotLoginUrl: string;
  ToChannelFromBotOAuthScope: string;
  OAuthUrl: string;
  ValidateAuthority: boolean;
  CallerId: string;
}

const BOT_FRAMEWORK_ENDPOINT_KEYS = [
  'ToBotFromChannelOpenIdMetadataUrl', 'ToBotFromChannelTokenIssuer', 'ToBotFromEmulatorOpenIdMetadataUrl', 'ToChannelFromBotLoginUrl',
  'ToChannelFromBotOAuthScope', 'OAuthUrl', 'ValidateAuthority', 'CallerId',
] as const;

/** The shared Azure Table store (several instances); absent = the embedded store (one instance). */
export type StorageConfig =
  | { kind: 'connection-string'; connectionString: string; table: string }
  | { kind: 'account-url'; accountUrl: string; table: string };

export interface BaseConfig {
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** auto: readable lines on a terminal, JSON otherwise. */
  logFormat: 'auto' | 'pretty' | 'json';
  /** How long connection lists and the project list are reused between turns (0 = always read). */
  readCacheSeconds: number;
  /** SCBOT_POLICY_FILE: the policy's rules (src/policy/policy-source.ts); absent: the SCBOT_* settings are the policy. */
  policyFile?: string;
  /** Directory of the embedded store (plans, execution state); undefined in local mode means in memory. */
  stateDir?: string;
  /** Azure Table storage shared by every instance; when set, stateDir is not used. */
  storage?: Readonly<StorageConfig>;
  secretLifetimeDays: number;
  secretRetireAfterHours: number;
  /** Connections an approved plan changes at once. */
  executorConcurrency: number;
  /** Who may request and approve changes, where (default deny; local mode: the demo policy). */
  policy: Readonly<PolicyConfig>;
  /** The alerts radar: schedule, thresholds, reminders. */
  alerts: Readonly<AlertConfig>;
  /** How long plans and the audit trail are kept, and how often the sweep runs. */
  retention: Readonly<RetentionSettings>;
  /** Where spans and metrics go (off unless an OTLP endpoint or Application Insights is named). */
  telemetry: Readonly<TelemetrySettings>;
  /** On SIGTERM: how long steps in flight may take to finish before the process exits anyway. */
  drainGraceSeconds: number;
  /** The connection inventory: freshness window, periodic refresh budget, audit log reads, bound. */
  inventory: Readonly<InventorySettings>;
  /** The MCP endpoint for agents (src/mcp): on or off, its public URL, whose tokens, calls per minute. */
  mcp: Readonly<McpSettings>;
}

/** The alert settings' defaults (the SCBOT_ALERT_* variables when unset). */
export const ALERT_DEFAULTS = Object.freeze({ scanMinutes: 60, expiryDays: 14, unusedDays: 90, revertHours: 72, reminderHours: 24, digestOver: 3, disableWarnDays: 80, openAccess: true, scanCallBudget: 1000 });

export interface AlertConfig {
  /** Minutes between scheduled scans; 0 = none. */
  scanMinutes: number;
  expiryDays: number;
  /** 0 = the unused check is off. */
  unusedDays: number;
  revertHours: number;
  /** 0 = never remind. */
  reminderHours: number;
  digestOver: number;
  /** Warn this many days unused, before Azure DevOps disables a connection at 100; 0 = off. */
  disableWarnDays: number;
  /** Alert on connections open to all pipelines (one authorized-resources read per project). */
  openAccess: boolean;
  /** Most Azure DevOps and Graph calls one scan makes; reads that do not fit wait for the next scan. */
  scanCallBudget: number;
}

export interface LocalConfig extends BaseConfig {
  mode: 'local';
}

export interface AzureConfig extends BaseConfig {
  mode: 'azure';
  bot: BotConfig;
  devops: DevOpsConfig;
  identity: IdentityConfig;
}

export type Config = Readonly<LocalConfig> | Readonly<AzureConfig>;

/** Every variable the bot reads, with what it is for (docs/configuration.md's table and .env.example mirror this). */
export const SETTINGS = {
  PORT: 'HTTP port of the bot (POST /api/messages, GET /healthz). Default 3978.',
  LOG_LEVEL: 'fatal | error | warn | info | debug | trace | silent. Default info.',
  LOG_FORMAT: 'auto | pretty | json. Default auto: readable lines when stdout is a terminal, one JSON object per line otherwise (for log collectors).',
  MicrosoftAppId: 'The bot\'s Entra app (client) id. Required outside local mode.',
  MicrosoftAppPassword: 'Client secret of the bot\'s app (MultiTenant / SingleTenant).',
  MicrosoftAppType: 'MultiTenant | SingleTenant | UserAssignedMSI. Default SingleTenant.',
  MicrosoftAppTenantId: 'Tenant of the bot\'s app (SingleTenant / UserAssignedMSI).',
  BOT_ALLOWED_SERVICE_URL_HOSTS: 'Comma-separated hosts the bot may reply to (activity.serviceUrl), https only: host, host:port, *.domain. Default: Teams\' hosts. Local mode: loopback only.',
  ...Object.fromEntries(BOT_FRAMEWORK_ENDPOINT_KEYS.map((key) => [key, 'Bot Framework outside the public cloud only (botbuilder\'s setting of that name): set all eight or none. Unset for Teams.'])),
  AZURE_DEVOPS_ORG_URL: 'Organization URL, e.g. https://dev.azure.com/contoso.',
  AZURE_DEVOPS_PROJECTS: 'Comma-separated project names or ids to manage. Empty: all projects.',
  AZURE_DEVOPS_CREDENTIAL: 'client-secret | client-certificate | managed-identity | workload-identity | default. Default default.',
  AZURE_TENANT_ID: 'Tenant of the identity that calls Azure DevOps; also the tenant of the connections `create` makes.',
  AZURE_CLIENT_ID: 'Client id of that identity (user-assigned managed identity: its client id).',
  AZURE_CLIENT_SECRET: 'Secret, for AZURE_DEVOPS_CREDENTIAL=client-secret.',
  AZURE_CLIENT_CERTIFICATE_PATH: 'PEM certificate + key, for AZURE_DEVOPS_CREDENTIAL=client-certificate.',
  AZURE_FEDERATED_TOKEN_FILE: 'Token file, for AZURE_DEVOPS_CREDENTIAL=workload-identity.',
  AZURE_AUTHORITY_HOST: 'Entra authority host. Default https://login.microsoftonline.com.',
  DEVOPS_REQUEST_TIMEOUT_MS: 'Timeout of one Azure DevOps call in ms. Default 30000.',
  DEVOPS_MAX_ATTEMPTS: 'Attempts per Azure DevOps call when throttled or unavailable. Default 5.',
  DEVOPS_READ_CACHE_SECONDS: 'Seconds a connection list is reused for `list` (0 = always read). Default 15.',
  SCBOT_STATE_DIR: 'Directory where plans and execution state are kept. Default .scbot/state (local mode: in memory).',
  SCBOT_STORAGE_CONNECTION_STRING: 'Azure Storage connection string (secret) of the shared table store, for several instances. Unset (and no account URL): the embedded store in SCBOT_STATE_DIR.',
  SCBOT_STORAGE_ACCOUNT_URL: 'Table endpoint of the shared store, e.g. https://<account>.table.core.windows.net, reached with the configured credential (managed identity). Not with a connection string.',
  SCBOT_STORAGE_TABLE: 'Table name of the shared store. Default scbotstate.',
  SECRET_LIFETIME_DAYS: 'Lifetime of a client secret the bot creates, when `expires <N>d` is not given (1-730). Default 180.',
  SECRET_RETIRE_AFTER_HOURS: 'Hours the previous bot-made secret keeps working after a rotation (0-720). Default 24.',
  EXECUTOR_CONCURRENCY: 'Connections an approved plan changes at once (1-64); 429s pause all of them. Default 8.',
  SCBOT_ALERT_SCAN_MINUTES: 'Minutes between alert scans, one instance scanning at a time (0-10080; 0 = no schedule, `alerts scan` still scans). Default 60.',
  SCBOT_ALERT_EXPIRY_DAYS: 'Alert when the secret of a connection\'s app expires within this many days (1-365). Default 14.',
  SCBOT_ALERT_UNUSED_DAYS: 'Alert when no pipeline used a connection for this many days (0-3650; 0 = off: it costs one history read per connection that old). Default 90.',
  SCBOT_ALERT_REVERT_HOURS: 'Alert when the window to revert a conversion closes within this many hours (1-168). Default 72.',
  SCBOT_ALERT_REMINDER_HOURS: 'Post a finding that is still open again after this many hours (0-720; 0 = never). Default 24.',
  SCBOT_ALERT_DIGEST_OVER: 'More new findings than this at once are posted as one digest card instead of one card each (0-50). Default 3.',
  SCBOT_ALERT_DISABLE_WARN_DAYS: 'Alert when a connection has been unused this many days, before Azure DevOps disables it at 100 (0-99; 0 = off). Default 80.',
  SCBOT_ALERT_OPEN_ACCESS: 'Alert on connections open to all pipelines (true/false; one read per project). Default true.',
  SCBOT_SCAN_CALL_BUDGET: 'Most Azure DevOps and Graph calls one alert scan makes (50-100000); reads that do not fit are made by the next scan. Default 1000.',
  SCBOT_RETENTION_PLAN_DAYS: 'Days a plan that ran (done, partially failed, failed) is kept after it finished (1-3650); proposals nobody approved are removed once expired. Default 30.',
  SCBOT_RETENTION_AUDIT_DAYS: 'Days audit events and counted refusals are kept (30-3650; Azure DevOps keeps its own audit log 90 days). Default 400.',
  SCBOT_RETENTION_SWEEP_MINUTES: 'Minutes between retention sweeps, one instance sweeping at a time (0-1440; 0 = never: state then grows without bound). Default 60.',
  SCBOT_DRAIN_GRACE_SECONDS: 'On SIGTERM, seconds the steps in flight get to finish before the bot exits anyway (1-300); keep it under the platform\'s stop timeout. Default 20.',
  ...INVENTORY_SETTINGS,
  ...MCP_SETTINGS,
  ...POLICY_SETTINGS,
  ...TELEMETRY_SETTINGS,
} as const;

/** Variables whose presence means "real configuration": local mode never starts beside any of them. */
const REAL_CONFIG_KEYS = ['MicrosoftAppId', 'MicrosoftAppPassword', 'AZURE_DEVOPS_ORG_URL', 'AZURE_DEVOPS_PROJECTS', 'AZURE_DEVOPS_CREDENTIAL'];

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);
const optionalString = z.preprocess(blankToUndefined, z.string().optional());

const baseSchema = z.object({
  PORT: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(65535).default(3978)),
  LOG_LEVEL: z.preprocess(blankToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  LOG_FORMAT: z.preprocess(blankToUndefined, z.enum(['auto', 'pretty', 'json']).default('auto')),
  DEVOPS_READ_CACHE_SECONDS: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(3600).default(15)),
  SCBOT_STATE_DIR: optionalString,
  SCBOT_STORAGE_CONNECTION_STRING: optionalString,
  SCBOT_STORAGE_ACCOUNT_URL: z.preprocess(blankToUndefined, z.url({ error: 'SCBOT_STORAGE_ACCOUNT_URL must be the table endpoint URL, e.g. https://<account>.table.core.windows.net' }).optional()),
  SCBOT_STORAGE_TABLE: z.preprocess(blankToUndefined, z.string().regex(/^[A-Za-z][A-Za-z0-9]{2,62}$/, 'SCBOT_STORAGE_TABLE must be 3-63 letters or digits, starting with a letter').default('scbotstate')),
  SECRET_LIFETIME_DAYS: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(730).default(180)),
  SECRET_RETIRE_AFTER_HOURS: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(720).default(24)),
  EXECUTOR_CONCURRENCY: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(64).default(8)),
  SCBOT_ALERT_SCAN_MINUTES: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(10_080).default(ALERT_DEFAULTS.scanMinutes)),
  SCBOT_ALERT_EXPIRY_DAYS: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(365).default(ALERT_DEFAULTS.expiryDays)),
  SCBOT_ALERT_UNUSED_DAYS: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(3650).default(ALERT_DEFAULTS.unusedDays)),
  SCBOT_ALERT_REVERT_HOURS: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(168).default(ALERT_DEFAULTS.revertHours)),
  SCBOT_ALERT_REMINDER_HOURS: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(720).default(ALERT_DEFAULTS.reminderHours)),
  SCBOT_ALERT_DIGEST_OVER: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(50).default(ALERT_DEFAULTS.digestOver)),
  SCBOT_ALERT_DISABLE_WARN_DAYS: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(99).default(ALERT_DEFAULTS.disableWarnDays)),
  SCBOT_ALERT_OPEN_ACCESS: z.preprocess(blankToUndefined, z.enum(['true', 'false']).default('true')),
  SCBOT_SCAN_CALL_BUDGET: z.preprocess(blankToUndefined, z.coerce.number().int().min(50).max(100_000).default(ALERT_DEFAULTS.scanCallBudget)),
  SCBOT_RETENTION_PLAN_DAYS: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(3650).default(RETENTION_DEFAULTS.planDays)),
  SCBOT_RETENTION_AUDIT_DAYS: z.preprocess(blankToUndefined, z.coerce.number().int().min(30).max(3650).default(RETENTION_DEFAULTS.auditDays)),
  SCBOT_RETENTION_SWEEP_MINUTES: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(1440).default(RETENTION_DEFAULTS.sweepMinutes)),
  SCBOT_DRAIN_GRACE_SECONDS: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(300).default(20)),
}).extend(policySchema.shape).extend(telemetrySchema.shape).extend(inventorySchema.shape).extend(mcpSchema.shape);

type BaseValues = z.infer<typeof baseSchema>;

function baseConfig(v: BaseValues, mode: 'local' | 'azure'): BaseConfig {
  return {
    port: v.PORT,
    logLevel: v.LOG_LEVEL,
    logFormat: v.LOG_FORMAT,
    readCacheSeconds: v.DEVOPS_READ_CACHE_SECONDS,
    // Local mode starts a fresh emulator each time, so its plans live in memory unless a directory is asked for.
    stateDir: v.SCBOT_STATE_DIR ?? (mode === 'azure' ? '.scbot/state' : undefined),
    ...storageConfig(v),
    secretLifetimeDays: v.SECRET_LIFETIME_DAYS,
    secretRetireAfterHours: v.SECRET_RETIRE_AFTER_HOURS,
    executorConcurrency: v.EXECUTOR_CONCURRENCY,
    policy: policyFromValues(v, mode),
    ...(v.SCBOT_POLICY_FILE ? { policyFile: v.SCBOT_POLICY_FILE } : {}),
    alerts: Object.freeze({
      scanMinutes: v.SCBOT_ALERT_SCAN_MINUTES, expiryDays: v.SCBOT_ALERT_EXPIRY_DAYS, unusedDays: v.SCBOT_ALERT_UNUSED_DAYS,
      revertHours: v.SCBOT_ALERT_REVERT_HOURS, reminderHours: v.SCBOT_ALERT_REMINDER_HOURS, digestOver: v.SCBOT_ALERT_DIGEST_OVER,
      disableWarnDays: v.SCBOT_ALERT_DISABLE_WARN_DAYS, openAccess: v.SCBOT_ALERT_OPEN_ACCESS === 'true',
      scanCallBudget: v.SCBOT_SCAN_CALL_BUDGET,
    }),
    retention: Object.freeze({ planDays: v.SCBOT_RETENTION_PLAN_DAYS, auditDays: v.SCBOT_RETENTION_AUDIT_DAYS, sweepMinutes: v.SCBOT_RETENTION_SWEEP_MINUTES }),
    telemetry: telemetryFromValues(v),
    drainGraceSeconds: v.SCBOT_DRAIN_GRACE_SECONDS,
    inventory: inventoryFromValues(v),
    mcp: mcpFromValues(v, mode),
  };
}

function storageConfig(v: BaseValues): { storage?: Readonly<StorageConfig> } {
  const table = v.SCBOT_STORAGE_TABLE;
  if (v.SCBOT_STORAGE_CONNECTION_STRING) return { storage: Object.freeze({ kind: 'connection-string', connectionString: v.SCBOT_STORAGE_CONNECTION_STRING, table }) };
  if (v.SCBOT_STORAGE_ACCOUNT_URL) return { storage: Object.freeze({ kind: 'account-url', accountUrl: v.SCBOT_STORAGE_ACCOUNT_URL.replace(/\/+$/, ''), table }) };
  return {};
}

const azureSchema = baseSchema.extend({
  MicrosoftAppId: z.preprocess(blankToUndefined, z.string({ error: 'MicrosoftAppId is required outside local mode (an empty app id silently turns inbound authentication off)' }).regex(GUID, 'MicrosoftAppId must be a GUID')),
  MicrosoftAppPassword: optionalString,
  MicrosoftAppType: z.preprocess(blankToUndefined, z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('SingleTenant')),
  MicrosoftAppTenantId: optionalString,
  BOT_ALLOWED_SERVICE_URL_HOSTS: optionalString,
  ...Object.fromEntries(BOT_FRAMEWORK_ENDPOINT_KEYS.map((key) => [key, optionalString])) as Record<(typeof BOT_FRAMEWORK_ENDPOINT_KEYS)[number], typeof optionalString>,
  AZURE_DEVOPS_ORG_URL: z.preprocess(blankToUndefined, z.url({ error: 'AZURE_DEVOPS_ORG_URL must be the organization URL, e.g. https://dev.azure.com/contoso' }).refine((u) => u.startsWith('https://'), 'AZURE_DEVOPS_ORG_URL must use https')),
  AZURE_DEVOPS_PROJECTS: optionalString,
  AZURE_DEVOPS_CREDENTIAL: z.preprocess(blankToUndefined, z.enum(['client-secret', 'client-certificate', 'managed-identity', 'workload-identity', 'default']).default('default')),
  AZURE_TENANT_ID: optionalString,
  AZURE_CLIENT_ID: optionalString,
  AZURE_CLIENT_SECRET: optionalString,
  AZURE_CLIENT_CERTIFICATE_PATH: optionalString,
  AZURE_FEDERATED_TOKEN_FILE: optionalString,
  AZURE_AUTHORITY_HOST: optionalString,
  DEVOPS_REQUEST_TIMEOUT_MS: z.preprocess(blankToUndefined, z.coerce.number().int().min(100).max(300_000).default(30_000)),
  DEVOPS_MAX_ATTEMPTS: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(10).default(5)),
}).superRefine((v, ctx) => {
  const need = (key: keyof typeof v, why: string) => {
    if (!v[key]) ctx.addIssue({ code: 'custom', path: [key], message: `${key} is required ${why}` });
  };
  if (v.MicrosoftAppType !== 'UserAssignedMSI') need('MicrosoftAppPassword', `when MicrosoftAppType is ${v.MicrosoftAppType}`);
  if (v.MicrosoftAppType !== 'MultiTenant') need('MicrosoftAppTenantId', `when MicrosoftAppType is ${v.MicrosoftAppType}`);
  const endpointKeys = BOT_FRAMEWORK_ENDPOINT_KEYS.filter((key) => v[key] !== undefined);
  if (endpointKeys.length > 0) for (const key of BOT_FRAMEWORK_ENDPOINT_KEYS) need(key, 'when any Bot Framework endpoint setting is set (all eight or none)');
  if (v.ValidateAuthority !== undefined && !['true', 'false'].includes(v.ValidateAuthority)) ctx.addIssue({ code: 'custom', path: ['ValidateAuthority'], message: 'ValidateAuthority must be true or false' });
  const hosts = v.BOT_ALLOWED_SERVICE_URL_HOSTS === undefined ? undefined : parseHostPatterns(v.BOT_ALLOWED_SERVICE_URL_HOSTS);
  if (hosts && !hosts.ok) for (const problem of hosts.error) ctx.addIssue({ code: 'custom', path: ['BOT_ALLOWED_SERVICE_URL_HOSTS'], message: problem });
  for (const problem of mcpProblems(v)) ctx.addIssue({ code: 'custom', path: ['SCBOT_MCP_ENABLED'], message: problem });
  if (v.AZURE_DEVOPS_CREDENTIAL === 'client-secret') {
    need('AZURE_TENANT_ID', 'for client-secret'); need('AZURE_CLIENT_ID', 'for client-secret'); need('AZURE_CLIENT_SECRET', 'for client-secret');
  }
  if (v.AZURE_DEVOPS_CREDENTIAL === 'client-certificate') {
    need('AZURE_TENANT_ID', 'for client-certificate'); need('AZURE_CLIENT_ID', 'for client-certificate'); need('AZURE_CLIENT_CERTIFICATE_PATH', 'for client-certificate');
  }
  if (v.AZURE_DEVOPS_CREDENTIAL === 'workload-identity') {
    need('AZURE_TENANT_ID', 'for workload-identity'); need('AZURE_CLIENT_ID', 'for workload-identity'); need('AZURE_FEDERATED_TOKEN_FILE', 'for workload-identity');
  }
});

function readable(error: z.ZodError): string {
  // Name the variable and the rule, never the value (it may be a secret).
  return error.issues.map((i) => `- ${i.path.join('.') || 'configuration'}: ${i.message}`).join('\n');
}

function botFrameworkEndpoints(v: Partial<Record<(typeof BOT_FRAMEWORK_ENDPOINT_KEYS)[number], string>>): { endpoints?: Readonly<BotFrameworkEndpointSettings> } {
  // All or none (checked by the schema): one present means all are.
  if (v.ValidateAuthority === undefined) return {};
  const url = (key: Exclude<(typeof BOT_FRAMEWORK_ENDPOINT_KEYS)[number], 'ValidateAuthority'>) => v[key] ?? '';
  return {
    endpoints: Object.freeze({
      ToBotFromChannelOpenIdMetadataUrl: url('ToBotFromChannelOpenIdMetadataUrl'), ToBotFromChannelTokenIssuer: url('ToBotFromChannelTokenIssuer'),
      ToBotFromEmulatorOpenIdMetadataUrl: url('ToBotFromEmulatorOpenIdMetadataUrl'), ToChannelFromBotLoginUrl: url('ToChannelFromBotLoginUrl'),
      ToChannelFromBotOAuthScope: url('ToChannelFromBotOAuthScope'), OAuthUrl: url('OAuthUrl'), CallerId: url('CallerId'),
      ValidateAuthority: v.ValidateAuthority === 'true',
    }),
  };
}

export function isLocalEnvironment(env: NodeJS.ProcessEnv): boolean {
  return REAL_CONFIG_KEYS.every((key) => blankToUndefined(env[key]) === undefined);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Two stores would be two sources of truth; name the variables, never the values.
  if (blankToUndefined(env.SCBOT_STORAGE_CONNECTION_STRING) !== undefined && blankToUndefined(env.SCBOT_STORAGE_ACCOUNT_URL) !== undefined) {
    throw new AppError('CONFIG.INVALID', 'Invalid configuration:\n- SCBOT_STORAGE_CONNECTION_STRING: set either SCBOT_STORAGE_CONNECTION_STRING or SCBOT_STORAGE_ACCOUNT_URL, not both');
  }
  if (isLocalEnvironment(env)) {
    const parsed = baseSchema.safeParse(env);
    if (!parsed.success) throw new AppError('CONFIG.INVALID', `Invalid configuration:\n${readable(parsed.error)}`);
    return Object.freeze({ mode: 'local', ...baseConfig(parsed.data, 'local') });
  }
  const parsed = azureSchema.safeParse(env);
  if (!parsed.success) throw new AppError('CONFIG.INVALID', `Invalid configuration:\n${readable(parsed.error)}`);
  const v = parsed.data;
  const config: AzureConfig = {
    mode: 'azure',
    ...baseConfig(v, 'azure'),
    bot: Object.freeze({
      appId: v.MicrosoftAppId, appPassword: v.MicrosoftAppPassword, appType: v.MicrosoftAppType, tenantId: v.MicrosoftAppTenantId,
      allowedServiceUrlHosts: Object.freeze(v.BOT_ALLOWED_SERVICE_URL_HOSTS === undefined
        ? [...TEAMS_SERVICE_URL_HOSTS]
        : v.BOT_ALLOWED_SERVICE_URL_HOSTS.split(',').map((h) => h.trim()).filter(Boolean)),
      ...botFrameworkEndpoints(v),
    }),
    devops: Object.freeze({
      orgUrl: v.AZURE_DEVOPS_ORG_URL.replace(/\/+$/, ''),
      projects: (v.AZURE_DEVOPS_PROJECTS ?? '').split(',').map((p) => p.trim()).filter(Boolean),
      requestTimeoutMs: v.DEVOPS_REQUEST_TIMEOUT_MS,
      maxAttempts: v.DEVOPS_MAX_ATTEMPTS,
    }),
    identity: Object.freeze({
      kind: v.AZURE_DEVOPS_CREDENTIAL,
      tenantId: v.AZURE_TENANT_ID,
      clientId: v.AZURE_CLIENT_ID,
      clientSecret: v.AZURE_CLIENT_SECRET,
      certificatePath: v.AZURE_CLIENT_CERTIFICATE_PATH,
      federatedTokenFile: v.AZURE_FEDERATED_TOKEN_FILE,
      authorityHost: v.AZURE_AUTHORITY_HOST,
    }),
  };
  return Object.freeze(config);
}
