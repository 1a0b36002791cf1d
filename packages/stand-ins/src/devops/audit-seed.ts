/**
 * The seed's optional `auditLog` section: the two switches and entries already in the log when the emulator starts
 * ("a person changed it in the portal two hours ago"). Times may use the seed's `${now-2h}` placeholders. An entry
 * about a connection of the seed gets its name and type in `data`, as the service would have written them.
 */
import { z } from 'zod';
import { detailsOf } from './audit-actions';
import { AZURE_DEVOPS_SERVICE, type AuditActor, type AuditTrail } from './audit-trail';
import { appActor, personActor } from './audit-actors';

const guid = z.guid();

export const auditSeedSchema = z.object({
  /** The "Log Audit Events" policy (default on). */
  enabled: z.boolean().optional(),
  /** Whether callers hold "View audit log" (default yes; no: 403). */
  readable: z.boolean().optional(),
  entries: z.array(z.object({
    actionId: z.string().min(1),
    timestamp: z.iso.datetime({ offset: true }),
    actor: z.object({ kind: z.enum(['person', 'app', 'service']), displayName: z.string().min(1).optional(), upn: z.string().optional() }),
    connectionId: guid.optional(),
    projectId: guid.optional(),
    data: z.record(z.string(), z.unknown()).optional(),
  })).default([]),
});

export type AuditSeed = z.infer<typeof auditSeedSchema>;
type SeedActor = AuditSeed['entries'][number]['actor'];

interface SeedLookups {
  endpoint(id: string): { id: string; name: string; type: string } | undefined;
  project(idOrName: string): { id: string; name: string } | undefined;
}

function actorOf(actor: SeedActor): AuditActor {
  if (actor.kind === 'service') return AZURE_DEVOPS_SERVICE;
  const name = actor.displayName ?? (actor.kind === 'app' ? 'an app' : 'a person');
  return actor.kind === 'app' ? appActor(name) : personActor({ displayName: name, ...(actor.upn ? { upn: actor.upn } : {}) });
}

export function applyAuditSeed(trail: AuditTrail, seed: AuditSeed, lookups: SeedLookups): void {
  for (const entry of seed.entries) {
    const endpoint = entry.connectionId ? lookups.endpoint(entry.connectionId) : undefined;
    const project = entry.projectId ? lookups.project(entry.projectId) : undefined;
    const data = {
      ...(endpoint ? { ConnectionId: endpoint.id, ConnectionName: endpoint.name, ConnectionType: endpoint.type } : entry.connectionId ? { ConnectionId: entry.connectionId } : {}),
      ...(project ? { ProjectId: project.id, ProjectName: project.name } : {}), ...entry.data,
    };
    trail.record({
      actionId: entry.actionId, actor: actorOf(entry.actor), data, details: detailsOf(entry.actionId, data), at: new Date(entry.timestamp),
      ...(project ? { projectId: project.id, projectName: project.name } : {}),
    });
  }
  trail.enabled = seed.enabled ?? true;
  trail.readable = seed.readable ?? true;
}
