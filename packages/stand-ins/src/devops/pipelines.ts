/**
 * Pipelines as far as connections need them (facts lifecycle §2): definitions to name the pipelines that use a
 * connection, and which pipelines may use a resource — the pipelinePermissions model, which the older build
 * `authorizedresources` API reads and writes through its "authorized for all pipelines" flag.
 */
import { z } from 'zod';
import type { IdentityRef } from '../wire/service-endpoint';

const guidOrName = z.string().min(1);

export const pipelinesSeedSchema = z.array(z.object({
  id: z.number().int().positive(), name: z.string().min(1), project: guidOrName, folder: z.string().default('\\'),
}));

export const pipelinePermissionsSeedSchema = z.array(z.object({
  project: guidOrName,
  resourceType: z.string().min(1).default('endpoint'),
  resourceId: z.string().min(1),
  /** "Grant access permission to all pipelines" (open access). */
  allPipelines: z.boolean().default(false),
  /** Definition ids authorized one by one. */
  pipelines: z.array(z.number().int().positive()).default([]),
}));

export type SeedPipeline = z.infer<typeof pipelinesSeedSchema>[number];
export type SeedPipelinePermission = z.infer<typeof pipelinePermissionsSeedSchema>[number];

/** `{ authorized, authorizedBy, authorizedOn }` of pipelinePermissions' Permission model. */
export interface Grant {
  authorized: boolean;
  authorizedBy: IdentityRef;
  authorizedOn: string;
}

export interface ResourcePermissions {
  allPipelines?: Grant;
  pipelines: Map<number, Grant>;
}

export interface PipelineDefinition {
  id: number;
  name: string;
  projectId: string;
  folder: string;
}

const key = (projectId: string, type: string, id: string): string => `${projectId}|${type}|${id}`.toLowerCase();

/** Stored per project; ids of resources and definitions are compared case-insensitively. */
export class Pipelines {
  private readonly definitionsByProject = new Map<string, PipelineDefinition[]>();
  private readonly permissions = new Map<string, ResourcePermissions>();

  definitions(projectId: string): PipelineDefinition[] {
    return [...(this.definitionsByProject.get(projectId.toLowerCase()) ?? [])].sort((a, b) => a.id - b.id);
  }

  definition(projectId: string, id: number): PipelineDefinition | undefined {
    return this.definitions(projectId).find((d) => d.id === id);
  }

  addDefinition(definition: PipelineDefinition): void {
    const list = this.definitionsByProject.get(definition.projectId.toLowerCase()) ?? [];
    this.definitionsByProject.set(definition.projectId.toLowerCase(), [...list.filter((d) => d.id !== definition.id), { ...definition }]);
  }

  /** The resource's permissions (a fresh, empty record when nothing was ever granted). */
  permissionsOf(projectId: string, type: string, id: string): ResourcePermissions {
    const found = this.permissions.get(key(projectId, type, id));
    return found ?? { pipelines: new Map() };
  }

  setPermissions(projectId: string, type: string, id: string, value: ResourcePermissions): void {
    this.permissions.set(key(projectId, type, id), value);
  }

  /** Every resource of a type open to all pipelines in the project (the build authorizedresources list). */
  openResources(projectId: string, type?: string): Array<{ type: string; id: string }> {
    const prefix = `${projectId.toLowerCase()}|`;
    return [...this.permissions.entries()]
      .filter(([k, p]) => k.startsWith(prefix) && p.allPipelines?.authorized === true)
      .map(([k]) => { const [, t = '', i = ''] = k.split('|'); return { type: t, id: i }; })
      .filter((r) => !type || r.type === type.toLowerCase());
  }

  /** Forget a deleted resource's grants, as the service does with the connection. */
  forget(type: string, id: string): void {
    const suffix = `|${type}|${id}`.toLowerCase();
    for (const k of [...this.permissions.keys()]) if (k.endsWith(suffix)) this.permissions.delete(k);
  }
}
