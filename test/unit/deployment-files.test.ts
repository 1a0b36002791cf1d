/**
 * The deployment files, checked as far as this machine allows (docs/deploying.md says what is and is not):
 * m365agents.yml against the Agents Toolkit's own v1.11 schema (vendored, tools/schemas/PROVENANCE.md); what it
 * references exists and every ${{VAR}} it uses is defined; the Bicep templates at text level (no Bicep compiler is
 * installable from npm or Debian); the App Service settings are settings the bot reads and make a valid Azure-mode
 * configuration; App Service runs what the Dockerfile runs.
 */
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig, SETTINGS } from '../../src/config';
import { appSettings, bicepOutputs, bicepParams, blockKeys, usesOf } from '../support/bicep-text';
import { parseDockerfile } from '../support/dockerfile';

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
const schema = JSON.parse(read('tools/schemas/m365agents.v1.11.yaml.schema.json')) as object;
const yml = read('m365agents.yml');
const azure = read('infra/azure.bicep');
const bot = read('infra/botRegistration/azurebot.bicep');
const parameters = JSON.parse(read('infra/azure.parameters.json')) as { parameters: Record<string, { value: string }> };

interface Step { uses: string; with?: Record<string, unknown>; writeToEnvironmentFile?: Record<string, string> }
type Lifecycle = 'provision' | 'deploy' | 'publish';
const agents = parse(yml) as Record<Lifecycle, Step[]> & { version: string };
const steps = (): Step[] => [...agents.provision, ...agents.deploy, ...agents.publish];

const STORAGE_TABLE_DATA_CONTRIBUTOR = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3';
const SECRET_LIKE = /secret|password|key|connectionstring|sas|token|credential/i;

describe('m365agents.yml', () => {
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

  it('is valid against the Agents Toolkit\'s v1.11 schema', () => {
    expect(agents.version).toBe('v1.11');
    expect(validate(agents), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  it('would be refused by that schema with an action the toolkit does not have', () => {
    const broken = { ...agents, deploy: [...agents.deploy, { uses: 'azureContainerApps/deploy', with: {} }] };
    expect(validate(broken)).toBe(false);
  });

  it('provisions, deploys and packages, with files that exist', () => {
    const used = (stage: Lifecycle) => agents[stage].map((s) => s.uses);
    expect(used('provision')).toEqual(expect.arrayContaining(['teamsApp/create', 'arm/deploy', 'teamsApp/validateAppPackage', 'teamsApp/update']));
    expect(used('deploy')).toEqual(expect.arrayContaining(['cli/runNpmCommand', 'azureAppService/zipDeploy']));
    const templates = (agents.provision.find((s) => s.uses === 'arm/deploy')?.with?.templates ?? []) as Array<{ path: string; parameters: string }>;
    expect(templates).toEqual([{ path: './infra/azure.bicep', parameters: './infra/azure.parameters.json', deploymentName: 'scbot-resources' }]);
    const packaging = steps().filter((s) => String(s.with?.args ?? '').startsWith('run package'));
    expect(packaging).toHaveLength(2);
    expect(read('appPackage/manifest.json')).toContain('"bots"');
  });

  it('uses only ${{VARIABLES}} that env/.env.dev, an earlier action or the Bicep outputs define', () => {
    const envKeys = [...read('env/.env.dev').matchAll(/^(\w+)=/gm)].map((m) => m[1]);
    const written = steps().flatMap((s) => Object.values(s.writeToEnvironmentFile ?? {}));
    const outputs = bicepOutputs(azure).map((o) => o.name);
    const known = new Set([...envKeys, ...written, ...outputs]);
    const used = [...`${yml}\n${JSON.stringify(parameters)}`.matchAll(/\$\{\{(\w+)\}\}/g)].map((m) => m[1]);
    expect(used.length).toBeGreaterThan(10);
    expect(used.filter((v) => !known.has(v))).toEqual([]);
  });

  it('deploys what the Dockerfile\'s runtime stage holds: the built output, the cards, production dependencies', () => {
    const stage = agents.deploy.find((s) => s.uses === 'script')?.with?.run as string;
    const runtime = parseDockerfile(read('Dockerfile'))[1];
    const dockerRun = runtime?.instructions.find((i) => i.op === 'RUN')?.args;
    expect(dockerRun).toBe('npm pkg delete workspaces && npm ci --omit=dev --no-audit --no-fund');
    expect(stage).toContain(`cd dist/app && ${dockerRun}`);
    expect(stage).toContain('cp -r dist/bot dist/app/dist/bot');
    expect(stage).toContain('cp -r cards dist/app/cards');
    expect(agents.deploy.find((s) => s.uses === 'azureAppService/zipDeploy')?.with?.artifactFolder).toBe('dist/app');
  });
});

describe('infra/azure.bicep and infra/azure.parameters.json', () => {
  const declared = bicepParams(azure);

  it('pass only declared parameters, and every required one', () => {
    const names = declared.map((p) => p.name);
    expect(Object.keys(parameters.parameters).filter((p) => !names.includes(p))).toEqual([]);
    expect(declared.filter((p) => !p.hasDefault).map((p) => p.name).filter((p) => !(p in parameters.parameters))).toEqual([]);
  });

  it('use every parameter they declare', () => {
    expect(declared.length).toBeGreaterThan(10);
    expect(declared.filter((p) => usesOf(azure, p.name) === 0).map((p) => p.name)).toEqual([]);
    // Not vacuous: a parameter only mentioned in a comment or another name counts as unused.
    const unused = `${azure}\nparam orphan string = ''\n// orphan\nvar orphanage = 1\n`;
    expect(bicepParams(unused).filter((p) => usesOf(unused, p.name) === 0).map((p) => p.name)).toEqual(['orphan']);
  });

  it('output no secret: names, values and no listKeys or @secure parameter anywhere', () => {
    for (const output of [...bicepOutputs(azure), ...bicepOutputs(bot)]) {
      expect(output.name).not.toMatch(SECRET_LIKE);
      expect(output.value).not.toMatch(/ConnectionString|InstrumentationKey|listKeys|primaryKey|secret/i);
    }
    expect(`${azure}\n${bot}`).not.toMatch(/listKeys|@secure\(\)|AccountKey/);
  });

  it('give the managed identity Storage Table Data Contributor on the store it is configured with', () => {
    expect(azure).toContain(`var storageTableDataContributor = '${STORAGE_TABLE_DATA_CONTRIBUTOR}'`);
    expect(azure).toMatch(/roleDefinitionId: subscriptionResourceId\('Microsoft\.Authorization\/roleDefinitions', storageTableDataContributor\)/);
    expect(azure).toMatch(/principalId: identity\.properties\.principalId/);
    expect(azure).toMatch(/scope: storage\n/);
    expect(azure).toContain('allowSharedKeyAccess: false');
  });

  it('register a UserAssignedMSI Azure Bot with a Teams channel, passing the module exactly its parameters', () => {
    expect(bot).toContain("msaAppType: 'UserAssignedMSI'");
    expect(bot).toContain('msaAppMSIResourceId: identityResourceId');
    expect(bot).toContain("channelName: 'MsTeamsChannel'");
    const passed = blockKeys(azure, /module azureBot/, 'params');
    const moduleParams = bicepParams(bot);
    expect(passed.filter((p) => !moduleParams.some((m) => m.name === p))).toEqual([]);
    expect(moduleParams.filter((m) => !m.hasDefault && !passed.includes(m.name)).map((m) => m.name)).toEqual([]);
    expect(moduleParams.filter((m) => usesOf(bot, m.name) === 0).map((m) => m.name)).toEqual([]);
  });
});

describe('the App Service the templates configure', () => {
  const settings = appSettings(azure);
  const PLATFORM = new Set(['SCM_DO_BUILD_DURING_DEPLOYMENT', 'APPLICATIONINSIGHTS_CONNECTION_STRING']);
  /** What each Bicep expression evaluates to, with sample values, to feed the bot's own configuration loader. */
  const sample = (expression: string): string => {
    const literal = /^'(.*)'$/.exec(expression);
    if (literal) return literal[1] ?? '';
    if (/properties\.(clientId|tenantId)$/.test(expression)) return '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
    if (/primaryEndpoints\.table$/.test(expression)) return 'https://scbotdev.table.core.windows.net/';
    if (expression === 'devopsOrgUrl') return 'https://dev.azure.com/contoso';
    if (expression === 'allowedTenants') return '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
    if (expression === 'table.name') return 'scbotstate';
    return '';
  };

  it('sets only settings the bot reads', () => {
    expect(settings.length).toBeGreaterThan(10);
    expect(settings.map((s) => s.name).filter((n) => !(n in SETTINGS) && !PLATFORM.has(n))).toEqual([]);
  });

  it('make an Azure-mode configuration the bot accepts: managed identity bot and credential, shared table store', () => {
    const env = Object.fromEntries(settings.map((s) => [s.name, sample(s.value)]));
    const config = loadConfig(env);
    if (config.mode !== 'azure') throw new Error('expected Azure mode');
    expect(config.bot.appType).toBe('UserAssignedMSI');
    expect(config.identity.kind).toBe('managed-identity');
    expect(config.storage).toEqual({ kind: 'account-url', accountUrl: 'https://scbotdev.table.core.windows.net', table: 'scbotstate' });
    expect(config.identity.clientId).toBe(config.bot.appId);
  });

  it('runs what the Dockerfile runs, on Node 24, probed on /healthz', () => {
    const runtime = parseDockerfile(read('Dockerfile'))[1];
    const cmd = JSON.parse(runtime?.instructions.find((i) => i.op === 'CMD')?.args ?? '[]') as string[];
    expect(azure).toContain(`appCommandLine: '${cmd.join(' ')}'`);
    expect(azure).toContain("linuxFxVersion: 'NODE|24-lts'");
    expect(azure).toContain("healthCheckPath: '/healthz'");
    expect(runtime?.instructions.find((i) => i.op === 'HEALTHCHECK')?.args).toContain('/healthz');
    expect(parseDockerfile(read('Dockerfile')).map((s) => s.from)).toEqual(['node:24-bookworm-slim', 'node:24-bookworm-slim']);
  });
});
