import { describe, expect, it } from 'vitest';
import { isLocalEnvironment, loadConfig, SETTINGS } from '../../src/config';
import { TELEMETRY_OFF } from '../../src/telemetry/telemetry-settings';
import { INVENTORY_DEFAULTS } from '../../src/inventory/inventory-settings';
import { AppError } from '../../src/domain/errors';
import { DENY_ALL_POLICY } from '../../src/domain/policy';
import { LOCAL_DEMO_POLICY } from '../../src/policy/policy-settings';

const DEFAULT_ALERTS = { scanMinutes: 60, expiryDays: 14, unusedDays: 90, revertHours: 72, reminderHours: 24, digestOver: 3, disableWarnDays: 80, openAccess: true, scanCallBudget: 1000 };

const APP_ID = '11111111-2222-3333-4444-555555555555';
const SECRET = 'Sup3r~Secret.Value_that-must-not-leak';

/** A complete Azure configuration; tests remove or change one thing at a time. */
const fullAzureEnv = (): NodeJS.ProcessEnv => ({
  MicrosoftAppId: APP_ID,
  MicrosoftAppPassword: SECRET,
  MicrosoftAppType: 'SingleTenant',
  MicrosoftAppTenantId: 'contoso-tenant',
  AZURE_DEVOPS_ORG_URL: 'https://dev.azure.com/contoso/',
  AZURE_DEVOPS_PROJECTS: ' Alpha, Beta ,,',
  AZURE_DEVOPS_CREDENTIAL: 'client-secret',
  AZURE_TENANT_ID: 'contoso-tenant',
  AZURE_CLIENT_ID: 'client-id',
  AZURE_CLIENT_SECRET: SECRET,
});

function configError(env: NodeJS.ProcessEnv): AppError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected loadConfig to fail');
}

describe('loadConfig: local mode', () => {
  it.each([
    ['an empty environment', {}],
    ['only unrelated variables', { HOME: '/root', PATH: '/usr/bin' }],
    ['real-config variables that are blank', { MicrosoftAppId: '  ', AZURE_DEVOPS_ORG_URL: '' }],
  ])('is local with %s', (_name, env: NodeJS.ProcessEnv) => {
    expect(isLocalEnvironment(env)).toBe(true);
    expect(loadConfig(env)).toEqual({
      mode: 'local', port: 3978, logLevel: 'info', logFormat: 'auto', readCacheSeconds: 15, stateDir: undefined, secretLifetimeDays: 180, secretRetireAfterHours: 24, executorConcurrency: 8,
      policy: LOCAL_DEMO_POLICY, alerts: DEFAULT_ALERTS, retention: { planDays: 30, auditDays: 400, sweepMinutes: 60 }, inventory: INVENTORY_DEFAULTS,
      telemetry: TELEMETRY_OFF, drainGraceSeconds: 20, mcp: { enabled: true, callsPerMinute: 30 },
    });
  });

  it('reads the inventory settings and refuses out-of-range ones by name', () => {
    expect(loadConfig({ SCBOT_INVENTORY_FRESH_SECONDS: '60', SCBOT_INVENTORY_REFRESH_SHARE: '0', SCBOT_INVENTORY_AUDIT_MINUTES: '0', SCBOT_INVENTORY_MAX_CONNECTIONS: '5000' }).inventory)
      .toEqual({ freshSeconds: 60, refreshSharePercent: 0, auditMinutes: 0, maxConnections: 5000 });
    expect(() => loadConfig({ SCBOT_INVENTORY_FRESH_SECONDS: '1' })).toThrow(/SCBOT_INVENTORY_FRESH_SECONDS/);
    expect(() => loadConfig({ SCBOT_INVENTORY_REFRESH_SHARE: '90' })).toThrow(/SCBOT_INVENTORY_REFRESH_SHARE/);
  });

  it('reads the retention settings and refuses out-of-range ones by name', () => {
    expect(loadConfig({ SCBOT_RETENTION_PLAN_DAYS: '7', SCBOT_RETENTION_AUDIT_DAYS: '90', SCBOT_RETENTION_SWEEP_MINUTES: '0' }).retention)
      .toEqual({ planDays: 7, auditDays: 90, sweepMinutes: 0 });
    expect(() => loadConfig({ SCBOT_RETENTION_AUDIT_DAYS: '7' })).toThrow(/SCBOT_RETENTION_AUDIT_DAYS/);
    expect(() => loadConfig({ SCBOT_RETENTION_PLAN_DAYS: '0' })).toThrow(/SCBOT_RETENTION_PLAN_DAYS/);
  });

  it('reads the alert settings and refuses out-of-range ones by name', () => {
    expect(loadConfig({ SCBOT_ALERT_SCAN_MINUTES: '0', SCBOT_ALERT_UNUSED_DAYS: '0', SCBOT_ALERT_REMINDER_HOURS: '12', SCBOT_ALERT_DIGEST_OVER: '10', SCBOT_ALERT_EXPIRY_DAYS: '30', SCBOT_ALERT_REVERT_HOURS: '24', SCBOT_ALERT_DISABLE_WARN_DAYS: '0', SCBOT_ALERT_OPEN_ACCESS: 'false', SCBOT_SCAN_CALL_BUDGET: '250' }).alerts)
      .toEqual({ scanMinutes: 0, expiryDays: 30, unusedDays: 0, revertHours: 24, reminderHours: 12, digestOver: 10, disableWarnDays: 0, openAccess: false, scanCallBudget: 250 });
    expect(() => loadConfig({ SCBOT_SCAN_CALL_BUDGET: '10' })).toThrow(/SCBOT_SCAN_CALL_BUDGET/);
    expect(() => loadConfig({ SCBOT_ALERT_DISABLE_WARN_DAYS: '100' })).toThrow(/SCBOT_ALERT_DISABLE_WARN_DAYS/);
    expect(() => loadConfig({ SCBOT_ALERT_OPEN_ACCESS: 'yes' })).toThrow(/SCBOT_ALERT_OPEN_ACCESS/);
    expect(() => loadConfig({ SCBOT_ALERT_EXPIRY_DAYS: '0' })).toThrow(/SCBOT_ALERT_EXPIRY_DAYS/);
    expect(() => loadConfig({ SCBOT_ALERT_SCAN_MINUTES: 'hourly' })).toThrow(/SCBOT_ALERT_SCAN_MINUTES/);
  });

  it('keeps local-mode state in memory unless SCBOT_STATE_DIR is set', () => {
    expect(loadConfig({ SCBOT_STATE_DIR: '/var/lib/scbot' })).toMatchObject({ mode: 'local', stateDir: '/var/lib/scbot' });
    expect(loadConfig({ SECRET_LIFETIME_DAYS: '90', SECRET_RETIRE_AFTER_HOURS: '0' })).toMatchObject({ secretLifetimeDays: 90, secretRetireAfterHours: 0 });
  });

  it('reads PORT, LOG_LEVEL and DEVOPS_READ_CACHE_SECONDS with their types', () => {
    expect(loadConfig({ PORT: '4000', LOG_LEVEL: 'debug', DEVOPS_READ_CACHE_SECONDS: '0' })).toMatchObject({ mode: 'local', port: 4000, logLevel: 'debug', readCacheSeconds: 0 });
  });

  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['DEVOPS_READ_CACHE_SECONDS', { DEVOPS_READ_CACHE_SECONDS: '-1' }],
    ['SECRET_LIFETIME_DAYS', { SECRET_LIFETIME_DAYS: '731' }],
    ['SECRET_RETIRE_AFTER_HOURS', { SECRET_RETIRE_AFTER_HOURS: '1.5' }],
    ['EXECUTOR_CONCURRENCY', { EXECUTOR_CONCURRENCY: '0' }],
    ['EXECUTOR_CONCURRENCY', { EXECUTOR_CONCURRENCY: '65' }],
  ])('rejects a bad %s even in local mode', (name, env: NodeJS.ProcessEnv) => {
    const error = configError(env);
    expect(error.code).toBe('CONFIG.INVALID');
    expect(error.message).toContain(`- ${name}:`);
  });
});

describe('loadConfig: azure mode', () => {
  it('builds a typed, trimmed configuration with defaults', () => {
    const config = loadConfig(fullAzureEnv());
    expect(config).toEqual({
      mode: 'azure',
      port: 3978,
      logLevel: 'info',
      logFormat: 'auto',
      readCacheSeconds: 15,
      stateDir: '.scbot/state',
      secretLifetimeDays: 180,
      secretRetireAfterHours: 24,
      executorConcurrency: 8,
      policy: DENY_ALL_POLICY,
      alerts: DEFAULT_ALERTS,
      retention: { planDays: 30, auditDays: 400, sweepMinutes: 60 },
      telemetry: TELEMETRY_OFF,
      drainGraceSeconds: 20,
      inventory: INVENTORY_DEFAULTS,
      mcp: { enabled: false, callsPerMinute: 30 },
      bot: {
        appId: APP_ID, appPassword: SECRET, appType: 'SingleTenant', tenantId: 'contoso-tenant',
        allowedServiceUrlHosts: ['smba.trafficmanager.net', '*.smba.trafficmanager.net', 'smba.infra.gcc.teams.microsoft.com', 'smba.infra.gov.teams.microsoft.us', 'smba.infra.dod.teams.microsoft.us'],
      },
      devops: { orgUrl: 'https://dev.azure.com/contoso', projects: ['Alpha', 'Beta'], requestTimeoutMs: 30_000, maxAttempts: 5 },
      identity: {
        kind: 'client-secret', tenantId: 'contoso-tenant', clientId: 'client-id', clientSecret: SECRET,
        certificatePath: undefined, federatedTokenFile: undefined, authorityHost: undefined,
      },
    });
  });

  it('reads BOT_ALLOWED_SERVICE_URL_HOSTS as a trimmed, frozen list', () => {
    const config = loadConfig({ ...fullAzureEnv(), BOT_ALLOWED_SERVICE_URL_HOSTS: ' smba.trafficmanager.net , *.botframework.com,,connector.example.com:8443 ' });
    if (config.mode !== 'azure') throw new Error('expected azure mode');
    expect(config.bot.allowedServiceUrlHosts).toEqual(['smba.trafficmanager.net', '*.botframework.com', 'connector.example.com:8443']);
    expect(Object.isFrozen(config.bot.allowedServiceUrlHosts)).toBe(true);
  });

  it.each(['*', '*.com', 'https://smba.trafficmanager.net', 'evil*.example.com', 'smba.trafficmanager.net/teams'])('rejects BOT_ALLOWED_SERVICE_URL_HOSTS entry %j, naming it', (entry) => {
    const error = configError({ ...fullAzureEnv(), BOT_ALLOWED_SERVICE_URL_HOSTS: `smba.trafficmanager.net,${entry}` });
    expect(error.message).toContain('- BOT_ALLOWED_SERVICE_URL_HOSTS:');
    expect(error.message).not.toContain(SECRET);
  });

  it('BOT_ALLOWED_SERVICE_URL_HOSTS alone does not leave local mode (local mode allows loopback only)', () => {
    expect(isLocalEnvironment({ BOT_ALLOWED_SERVICE_URL_HOSTS: 'smba.trafficmanager.net' })).toBe(true);
  });

  it('coerces numeric settings', () => {
    const config = loadConfig({ ...fullAzureEnv(), PORT: '8080', DEVOPS_REQUEST_TIMEOUT_MS: '5000', DEVOPS_MAX_ATTEMPTS: '2' });
    expect(config.mode === 'azure' && [config.port, config.devops.requestTimeoutMs, config.devops.maxAttempts]).toEqual([8080, 5000, 2]);
  });

  it('is frozen all the way down', () => {
    const config = loadConfig(fullAzureEnv());
    if (config.mode !== 'azure') throw new Error('expected azure mode');
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.bot)).toBe(true);
    expect(Object.isFrozen(config.devops)).toBe(true);
    expect(Object.isFrozen(config.identity)).toBe(true);
    expect(Object.isFrozen(loadConfig({}))).toBe(true);
  });

  it.each<[string, NodeJS.ProcessEnv, string[]]>([
    ['a lone app password', { MicrosoftAppPassword: SECRET }, ['MicrosoftAppId', 'AZURE_DEVOPS_ORG_URL']],
    ['a lone org URL', { AZURE_DEVOPS_ORG_URL: 'https://dev.azure.com/contoso' }, ['MicrosoftAppId']],
    ['client-secret without its secret', { ...fullAzureEnv(), AZURE_CLIENT_SECRET: undefined }, ['AZURE_CLIENT_SECRET']],
    ['a SingleTenant bot without tenant', { ...fullAzureEnv(), MicrosoftAppTenantId: '' }, ['MicrosoftAppTenantId']],
    ['a MultiTenant bot without password', { ...fullAzureEnv(), MicrosoftAppType: 'MultiTenant', MicrosoftAppPassword: undefined }, ['MicrosoftAppPassword']],
    ['a certificate credential without a path', { ...fullAzureEnv(), AZURE_DEVOPS_CREDENTIAL: 'client-certificate' }, ['AZURE_CLIENT_CERTIFICATE_PATH']],
    ['workload identity without a token file', { ...fullAzureEnv(), AZURE_DEVOPS_CREDENTIAL: 'workload-identity' }, ['AZURE_FEDERATED_TOKEN_FILE']],
    ['an http org URL', { ...fullAzureEnv(), AZURE_DEVOPS_ORG_URL: 'http://dev.azure.com/contoso' }, ['AZURE_DEVOPS_ORG_URL']],
  ])('rejects %s, naming the variables and never echoing a secret', (_name, env, missing) => {
    expect(isLocalEnvironment(env)).toBe(false);
    const error = configError(env);
    expect(error.code).toBe('CONFIG.INVALID');
    for (const key of missing) expect(error.message).toContain(`- ${key}:`);
    expect(error.message).not.toContain(SECRET);
  });

  it('requires MicrosoftAppId outside local mode, saying why', () => {
    const env = { ...fullAzureEnv(), MicrosoftAppId: undefined };
    const error = configError(env);
    expect(error.message).toMatch(/MicrosoftAppId is required outside local mode/);
  });

  it('requires the app id to be a GUID without echoing the value', () => {
    const error = configError({ ...fullAzureEnv(), MicrosoftAppId: 'not-a-guid-but-maybe-a-secret' });
    expect(error.message).toContain('MicrosoftAppId must be a GUID');
    expect(error.message).not.toContain('not-a-guid-but-maybe-a-secret');
  });

  it('accepts a user-assigned managed identity bot without password or secret', () => {
    const config = loadConfig({
      MicrosoftAppId: APP_ID, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: 't',
      AZURE_DEVOPS_ORG_URL: 'https://dev.azure.com/contoso', AZURE_DEVOPS_CREDENTIAL: 'managed-identity',
    });
    expect(config.mode === 'azure' && [config.bot.appPassword, config.identity.kind, config.devops.projects]).toEqual([undefined, 'managed-identity', []]);
  });

  it('documents every variable it reads', () => {
    const read = Object.keys(fullAzureEnv()).concat(
      'PORT', 'LOG_LEVEL', 'DEVOPS_REQUEST_TIMEOUT_MS', 'DEVOPS_MAX_ATTEMPTS', 'DEVOPS_READ_CACHE_SECONDS',
      'SCBOT_STATE_DIR', 'SECRET_LIFETIME_DAYS', 'SECRET_RETIRE_AFTER_HOURS', 'EXECUTOR_CONCURRENCY',
    );
    for (const key of read) expect(SETTINGS).toHaveProperty(key);
  });
});

describe('loadConfig: policy', () => {
  const G1 = 'a1a1a1a1-0000-4000-8000-000000000001';
  const G2 = 'B2B2B2B2-0000-4000-8000-000000000002';
  const T = 'c3c3c3c3-0000-4000-8000-000000000003';

  it('denies everything in Azure mode when nothing is set', () => {
    expect(loadConfig(fullAzureEnv()).policy).toEqual(DENY_ALL_POLICY);
  });

  it('reads every policy variable as a trimmed, frozen list', () => {
    const { policy } = loadConfig({
      ...fullAzureEnv(), SCBOT_REQUESTER_IDS: ` ${G1} ,,${G2}`, SCBOT_REQUESTER_GROUPS: G2, SCBOT_APPROVER_IDS: G2, SCBOT_APPROVER_GROUPS: G1,
      SCBOT_CHANGE_CONVERSATIONS: '19:ops@thread.tacv2, a:personal-1', SCBOT_ALLOWED_TENANTS: T, SCBOT_PLAN_TTL_MINUTES: '5', SCBOT_TWO_APPROVERS_OVER: '0',
      SCBOT_APPROVAL_CONVERSATIONS: '19:approvers@thread.tacv2',
    });
    expect(policy).toEqual({
      requesters: { users: [G1, G2], groups: [G2] }, approvers: { users: [G2], groups: [G1] },
      conversations: ['19:ops@thread.tacv2', 'a:personal-1'], approvalConversations: ['19:approvers@thread.tacv2'], tenants: [T], planTtlMinutes: 5, twoApproversOver: 0,
    });
    expect(Object.isFrozen(policy.requesters.users)).toBe(true);
    expect(Object.isFrozen(policy)).toBe(true);
  });

  it('local mode: the demo policy lets anyone in, per variable unless set', () => {
    expect(loadConfig({}).policy).toMatchObject({ requesters: { users: ['*'], groups: [] }, approvers: { users: ['*'], groups: [] }, conversations: ['*'], tenants: ['*'] });
    const { policy } = loadConfig({ SCBOT_APPROVER_GROUPS: G1, SCBOT_ALLOWED_TENANTS: T });
    expect(policy.approvers).toEqual({ users: [], groups: [G1] });
    expect(policy.requesters).toEqual({ users: ['*'], groups: [] });
    expect(policy.tenants).toEqual([T]);
    expect(policy.conversations).toEqual(['*']);
    expect(policy.approvalConversations).toEqual([]);
  });

  it.each([
    ['SCBOT_REQUESTER_IDS', { SCBOT_REQUESTER_IDS: 'alice@contoso.com' }],
    ['SCBOT_APPROVER_GROUPS', { SCBOT_APPROVER_GROUPS: `${G1},not-a-guid` }],
    ['SCBOT_ALLOWED_TENANTS', { SCBOT_ALLOWED_TENANTS: '*' }],
    ['SCBOT_PLAN_TTL_MINUTES', { SCBOT_PLAN_TTL_MINUTES: '0' }],
    ['SCBOT_TWO_APPROVERS_OVER', { SCBOT_TWO_APPROVERS_OVER: '-1' }],
  ])('rejects a bad %s and names it without echoing the value', (name, env: NodeJS.ProcessEnv) => {
    const error = configError({ ...fullAzureEnv(), ...env });
    expect(error.message).toContain(name);
    expect(error.message).not.toContain('alice@contoso.com');
    expect(error.message).not.toContain('not-a-guid');
  });

  it('lists the policy variables in SETTINGS (so the docs test covers them)', () => {
    expect(Object.keys(SETTINGS)).toEqual(expect.arrayContaining(['SCBOT_REQUESTER_IDS', 'SCBOT_APPROVER_GROUPS', 'SCBOT_CHANGE_CONVERSATIONS', 'SCBOT_ALLOWED_TENANTS', 'SCBOT_PLAN_TTL_MINUTES', 'SCBOT_TWO_APPROVERS_OVER']));
  });
});

describe('loadConfig: shared storage', () => {
  const CONNECTION = 'DefaultEndpointsProtocol=https;AccountName=contoso;AccountKey=c2VjcmV0LWtleS10aGF0LW11c3Qtbm90LWxlYWs=;EndpointSuffix=core.windows.net';

  it('uses the embedded store when neither storage variable is set', () => {
    expect(loadConfig({}).storage).toBeUndefined();
    expect(loadConfig(fullAzureEnv()).storage).toBeUndefined();
  });

  it('reads a connection string with the default table, frozen', () => {
    const config = loadConfig({ ...fullAzureEnv(), SCBOT_STORAGE_CONNECTION_STRING: ` ${CONNECTION} ` });
    expect(config.storage).toEqual({ kind: 'connection-string', connectionString: CONNECTION, table: 'scbotstate' });
    expect(Object.isFrozen(config.storage)).toBe(true);
  });

  it('reads an account URL (managed identity) and a table name, in local mode too', () => {
    const config = loadConfig({ SCBOT_STORAGE_ACCOUNT_URL: 'https://contoso.table.core.windows.net/', SCBOT_STORAGE_TABLE: 'scbotProd' });
    expect(config.storage).toEqual({ kind: 'account-url', accountUrl: 'https://contoso.table.core.windows.net', table: 'scbotProd' });
  });

  it('refuses both at once without echoing the connection string', () => {
    const error = configError({ ...fullAzureEnv(), SCBOT_STORAGE_CONNECTION_STRING: CONNECTION, SCBOT_STORAGE_ACCOUNT_URL: 'https://contoso.table.core.windows.net' });
    expect(error.code).toBe('CONFIG.INVALID');
    expect(error.message).toMatch(/SCBOT_STORAGE_CONNECTION_STRING or SCBOT_STORAGE_ACCOUNT_URL, not both/);
    expect(error.message).not.toContain('AccountKey');
    expect(error.message).not.toContain('c2VjcmV0');
  });

  it('refuses a bad table name or account URL, naming the variable', () => {
    expect(configError({ SCBOT_STORAGE_CONNECTION_STRING: CONNECTION, SCBOT_STORAGE_TABLE: 'no-dashes' }).message).toMatch(/SCBOT_STORAGE_TABLE/);
    const bad = configError({ SCBOT_STORAGE_ACCOUNT_URL: 'not a url', SCBOT_STORAGE_CONNECTION_STRING: '' });
    expect(bad.message).toMatch(/SCBOT_STORAGE_ACCOUNT_URL/);
  });

  it('documents the storage variables in SETTINGS (so the docs test covers them)', () => {
    expect(Object.keys(SETTINGS)).toEqual(expect.arrayContaining(['SCBOT_STORAGE_CONNECTION_STRING', 'SCBOT_STORAGE_ACCOUNT_URL', 'SCBOT_STORAGE_TABLE']));
  });
});

describe('loadConfig: Bot Framework outside the public cloud', () => {
  const endpoints = {
    ToBotFromChannelOpenIdMetadataUrl: 'https://bf.example/v1/.well-known/openidconfiguration', ToBotFromChannelTokenIssuer: 'https://api.bf.example',
    ToBotFromEmulatorOpenIdMetadataUrl: 'https://bf.example/v1/.well-known/openidconfiguration', ToChannelFromBotLoginUrl: 'https://login.example/contoso-tenant',
    ToChannelFromBotOAuthScope: 'https://api.bf.example', OAuthUrl: 'https://token.bf.example', ValidateAuthority: 'false', CallerId: 'urn:botframework:example',
  };

  it('reads botbuilder\'s eight settings together', () => {
    const config = loadConfig({ ...fullAzureEnv(), ...endpoints });
    expect(config.mode === 'azure' && config.bot.endpoints).toEqual({ ...endpoints, ValidateAuthority: false });
  });

  it('leaves them out (the public cloud) when none is set', () => {
    const config = loadConfig(fullAzureEnv());
    expect(config.mode === 'azure' && config.bot.endpoints).toBeUndefined();
  });

  it('refuses some without the others, naming each missing one', () => {
    const { OAuthUrl: _dropped, CallerId: _also, ...partial } = endpoints;
    const error = configError({ ...fullAzureEnv(), ...partial });
    expect(error.message).toMatch(/OAuthUrl: OAuthUrl is required when any Bot Framework endpoint setting is set/);
    expect(error.message).toMatch(/CallerId: CallerId is required/);
  });

  it('refuses a ValidateAuthority that is not true or false', () => {
    expect(configError({ ...fullAzureEnv(), ...endpoints, ValidateAuthority: 'yes' }).message).toMatch(/ValidateAuthority must be true or false/);
  });
});

describe('loadConfig: telemetry and drain', () => {
  const KEY = '0f0f0f0f-1111-4222-8333-444444444444';

  it('is off unless an OTLP endpoint or Application Insights is named', () => {
    expect(loadConfig({ OTEL_SERVICE_NAME: 'scbot-prod', OTEL_METRIC_EXPORT_INTERVAL: '5000' }).telemetry).toEqual({ ...TELEMETRY_OFF, metricIntervalMs: 5000 });
  });

  it('turns OTLP on per signal that has an endpoint', () => {
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).telemetry.otlp).toEqual({ traces: true, metrics: true });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }).telemetry.otlp).toEqual({ traces: true, metrics: false });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://collector:4318/v1/metrics' }).telemetry.otlp).toEqual({ traces: false, metrics: true });
  });

  it('sends to Azure Monitor when the connection string is set, both when both are', () => {
    const telemetry = loadConfig({ APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=${KEY};IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/`, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).telemetry;
    expect(telemetry.azureMonitorConnectionString).toContain(KEY);
    expect(telemetry.otlp).toEqual({ traces: true, metrics: true });
  });

  it('is off with OTEL_SDK_DISABLED=true whatever else is set', () => {
    expect(loadConfig({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=${KEY}` }).telemetry).toEqual(TELEMETRY_OFF);
  });

  it.each([
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, 'OTEL_EXPORTER_OTLP_PROTOCOL'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' }, 'OTEL_EXPORTER_OTLP_ENDPOINT'],
    [{ OTEL_METRIC_EXPORT_INTERVAL: '7' }, 'OTEL_METRIC_EXPORT_INTERVAL'],
    [{ APPLICATIONINSIGHTS_CONNECTION_STRING: 'IngestionEndpoint=https://x.in.applicationinsights.azure.com/;secretish-value-123' }, 'APPLICATIONINSIGHTS_CONNECTION_STRING'],
    [{ SCBOT_DRAIN_GRACE_SECONDS: '0' }, 'SCBOT_DRAIN_GRACE_SECONDS'],
  ])('refuses %o, naming the variable and never its value', (env, name) => {
    const message = (() => { try { loadConfig(env); return ''; } catch (error) { return (error as Error).message; } })();
    expect(message).toContain(name);
    for (const value of Object.values(env)) expect(message).not.toContain(value);
  });

  it('reads the drain grace', () => {
    expect(loadConfig({ SCBOT_DRAIN_GRACE_SECONDS: '45' }).drainGraceSeconds).toBe(45);
  });
});

describe('loadConfig: the MCP endpoint', () => {
  const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

  it('is off in Azure mode unless enabled, on in local mode unless disabled', () => {
    expect(loadConfig(fullAzureEnv()).mcp.enabled).toBe(false);
    expect(loadConfig({}).mcp.enabled).toBe(true);
    expect(loadConfig({ SCBOT_MCP_ENABLED: 'false' }).mcp.enabled).toBe(false);
  });

  it('enabled in Azure mode: takes the public URL (trailing slash dropped), audience, tenant and limit', () => {
    const config = loadConfig({
      ...fullAzureEnv(), SCBOT_MCP_ENABLED: 'true', SCBOT_MCP_URL: 'https://scbot.contoso.com/mcp/', SCBOT_MCP_AUDIENCE: 'api://scbot-mcp', SCBOT_MCP_TENANT_ID: TENANT, SCBOT_MCP_CALLS_PER_MINUTE: '10',
    });
    expect(config.mcp).toEqual({ enabled: true, url: 'https://scbot.contoso.com/mcp', audience: 'api://scbot-mcp', tenantId: TENANT, callsPerMinute: 10 });
  });

  it('enabled in Azure mode without a public https URL fails fast, naming the setting', () => {
    expect(configError({ ...fullAzureEnv(), SCBOT_MCP_ENABLED: 'true' }).message).toMatch(/SCBOT_MCP_URL is required/);
    expect(configError({ ...fullAzureEnv(), SCBOT_MCP_ENABLED: 'true', SCBOT_MCP_URL: 'http://scbot.contoso.com/mcp' }).message).toMatch(/SCBOT_MCP_URL must use https/);
    expect(configError({ ...fullAzureEnv(), SCBOT_MCP_CALLS_PER_MINUTE: '0' }).message).toMatch(/SCBOT_MCP_CALLS_PER_MINUTE/);
    expect(configError({ ...fullAzureEnv(), SCBOT_MCP_AUDIENCE: 'scbot' }).message).toMatch(/Application ID URI/);
  });
});
