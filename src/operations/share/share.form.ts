/**
 * The `share` form (issue 27): `share`, `share <name>` or `share <name> with` typed. The connections and the
 * projects to share with are the ones this conversation may read; the project it is in already is not offered.
 */
import type { CommandForm } from '../../commands/command';
import { connectionChoices, connectionsInScope, projectChoices } from '../../commands/form-choices';

export const shareForm: CommandForm = {
  labels: { name: 'Connection', with: 'Share it with project', project: 'The project it is in (only when the name is in several)' },
  async choices(ctx, input) {
    const [connections, projects] = await Promise.all([connectionsInScope(ctx), projectChoices(ctx)]);
    const name = typeof input.name === 'string' ? input.name.toLowerCase() : undefined;
    const chosen = connections.filter((c) => c.endpoint.name.toLowerCase() === name);
    const holds = new Set(chosen.flatMap((c) => (c.endpoint.serviceEndpointProjectReferences ?? []).map((r) => (r.projectReference.name ?? r.projectReference.id).toLowerCase())));
    return {
      name: connectionChoices(connections),
      with: projects.filter((p) => !holds.has(p.value.toLowerCase())),
      project: projects,
    };
  },
};
