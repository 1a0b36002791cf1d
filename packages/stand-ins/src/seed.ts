/**
 * The emulator's starting state, read from a JSON seed file and validated with zod so a typo fails loudly.
 *
 * Seed files are data, so they cannot compute dates. Instead any string value may contain a time placeholder,
 * resolved at load time against the clock (so a "converted 2 days ago" connection stays 2 days old forever):
 *   "${now}"       the clock's current instant, ISO-8601 (e.g. "2026-11-22T04:51:46.000Z")
 *   "${now+5d}"    five days ahead; "${now-2d}" two days ago. Units: s, m, h, d (e.g. "${now-90m}").
 * A placeholder may fill the whole string or sit inside a longer one.
 *
 * Unknown top-level keys are kept (later features add "applications" and "bot" sections).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Clock } from './clock';
import type { ServiceEndpoint } from './wire/service-endpoint';
import { systemClock } from './clock';
import { lifecycleSeedSchema, type LifecycleSeed } from './devops/lifecycle';
import { auditSeedSchema, type AuditSeed } from './devops/audit-seed';
import { pipelinePermissionsSeedSchema, pipelinesSeedSchema, type SeedPipeline, type SeedPipelinePermission } from './devops/pipelines';
import { identitiesSeedSchema, roleAssignmentsSeedSchema, type SeedIdentity } from './devops/role-store';

export const DEMO_SEED_PATH: string = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'seeds', 'demo.json');

const guid = z.guid();
const projectSchema = z.looseObject({ id: guid, name: z.string().min(1), description: z.string().optional() });
const projectRefSchema = z.looseObject({
  projectReference: z.looseObject({ id: guid, name: z.string().optional() }),
  name: z.string().min(1),
  description: z.string().nullable().optional(),
});
const endpointSchema = z.looseObject({
  id: guid,
  name: z.string().min(1),
  type: z.string().min(1),
  url: z.string().optional(),
  authorization: z.looseObject({ scheme: z.string().min(1), parameters: z.record(z.string(), z.string().nullable()).optional() }).optional(),
  data: z.record(z.string(), z.string()).optional(),
  isReady: z.boolean().optional(),
  operationStatus: z.looseObject({ state: z.string().optional(), statusMessage: z.string().optional() }).nullable().optional(),
  serviceEndpointProjectReferences: z.array(projectRefSchema).min(1),
});
const executionRecordSchema = z.looseObject({
  endpointId: guid.optional(),
  data: z.looseObject({
    id: z.number().int().nonnegative(),
    result: z.enum(['succeeded', 'succeededWithIssues', 'failed', 'canceled', 'skipped', 'abandoned']).optional(),
    startTime: z.string().optional(),
    finishTime: z.string().optional(),
  }),
});

const seedSchema = z.looseObject({
  organization: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'an organization name (letters, digits, dashes)'),
  organizationId: guid.optional(),
  projects: z.array(projectSchema).min(1),
  endpoints: z.array(endpointSchema).default([]),
  executionHistory: z.record(z.string(), z.array(executionRecordSchema)).default({}),
  endpointTypes: z.array(z.looseObject({ name: z.string() })).optional(),
  lifecycle: lifecycleSeedSchema.optional(),
  pipelines: pipelinesSeedSchema.optional(),
  pipelinePermissions: pipelinePermissionsSeedSchema.optional(),
  identities: identitiesSeedSchema.optional(),
  roleAssignments: roleAssignmentsSeedSchema.optional(),
  auditLog: auditSeedSchema.optional(),
});

export type SeedProject = z.infer<typeof projectSchema>;
export type SeedExecutionRecord = z.infer<typeof executionRecordSchema>;
type ParsedSeed = z.infer<typeof seedSchema>;
export interface Seed {
  organization: string;
  organizationId?: string;
  projects: SeedProject[];
  endpoints: ServiceEndpoint[];
  executionHistory: Record<string, SeedExecutionRecord[]>;
  endpointTypes?: Record<string, unknown>[];
  /** Delays and scripted failures of asynchronous creates and deletes (devops/lifecycle.ts). */
  lifecycle?: LifecycleSeed;
  /** Pipeline definitions `[{ id, name, project, folder? }]` (devops/pipelines.ts). */
  pipelines?: SeedPipeline[];
  /** Who may use a resource: `[{ project, resourceType?, resourceId, allPipelines?, pipelines? }]`. */
  pipelinePermissions?: SeedPipelinePermission[];
  /** Azure DevOps identities: `[{ id, displayName, uniqueName?, originId?, kind?: user | group, members? }]` (devops/identities.ts). */
  identities?: SeedIdentity[];
  /** Service-connection roles: `[{ project, endpointId?, identityId, role }]`; without endpointId, on the whole project. */
  roleAssignments?: Array<{ project: string; endpointId?: string; identityId: string; role: 'Administrator' | 'Creator' | 'User' | 'Reader' }>;
  /** The audit log: `{ enabled?, readable?, entries: [{ actionId, timestamp, actor: { kind, displayName? }, connectionId?, projectId?, data? }] }`. */
  auditLog?: AuditSeed;
  /** Sections other emulators read ("applications", "bot", …). */
  [section: string]: unknown;
}

const PLACEHOLDER = /\$\{now(?:([+-])(\d+)([smhd]))?\}/g;
const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function resolveString(value: string, now: Date): string {
  return value.replace(PLACEHOLDER, (_all, sign?: string, amount?: string, unit?: string) => {
    const offset = sign && amount && unit ? Number(amount) * (UNIT_MS[unit] ?? 0) * (sign === '-' ? -1 : 1) : 0;
    return new Date(now.getTime() + offset).toISOString();
  });
}

function resolvePlaceholders(value: unknown, now: Date): unknown {
  if (typeof value === 'string') return resolveString(value, now);
  if (Array.isArray(value)) return value.map((item) => resolvePlaceholders(item, now));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolvePlaceholders(item, now)]));
  }
  return value;
}

/** Cross-record rules zod cannot see record by record. Returns readable problems, empty when consistent. */
function consistencyProblems(seed: ParsedSeed): string[] {
  const problems: string[] = [];
  const projectIds = new Set(seed.projects.map((p) => p.id.toLowerCase()));
  const endpointIds = new Set<string>();
  seed.endpoints.forEach((endpoint, index) => {
    const id = endpoint.id.toLowerCase();
    if (endpointIds.has(id)) problems.push(`endpoints[${index}] (${endpoint.name}): duplicate id ${endpoint.id}`);
    endpointIds.add(id);
    for (const ref of endpoint.serviceEndpointProjectReferences) {
      if (!projectIds.has(ref.projectReference.id.toLowerCase())) {
        problems.push(`endpoints[${index}] (${endpoint.name}): project ${ref.projectReference.id} is not in "projects"`);
      }
    }
  });
  for (const endpointId of Object.keys(seed.executionHistory)) {
    if (!endpointIds.has(endpointId.toLowerCase())) problems.push(`executionHistory: no endpoint with id ${endpointId}`);
  }
  return problems;
}

/** Validates a parsed seed and resolves its time placeholders. Throws an Error listing every problem. */
export function parseSeed(json: unknown, clock: Clock = systemClock): Seed {
  const parsed = seedSchema.safeParse(resolvePlaceholders(json, clock.now()));
  if (!parsed.success) throw new Error(`Invalid emulator seed:\n${z.prettifyError(parsed.error)}`);
  const problems = consistencyProblems(parsed.data);
  if (problems.length > 0) throw new Error(`Invalid emulator seed:\n${problems.map((p) => `✖ ${p}`).join('\n')}`);
  return parsed.data as Seed;
}

export async function loadSeed(file: string, clock: Clock = systemClock): Promise<Seed> {
  const text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`Invalid emulator seed ${file}: not JSON (${(error as Error).message})`, { cause: error });
  }
  try {
    return parseSeed(json, clock);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n(in ${file})`, { cause: error });
  }
}
