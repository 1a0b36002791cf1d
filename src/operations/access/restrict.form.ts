/**
 * The `restrict` form (issue 27): `restrict <name> to` typed without pipelines (or `restrict` alone). The
 * connections this conversation may read; the pipelines of the named connection's project to keep.
 */
import type { CommandForm } from '../../commands/command';
import { connectionChoices, connectionsInScope, pipelineChoices, projectChoices } from '../../commands/form-choices';

export const restrictForm: CommandForm = {
  labels: { name: 'Connection', all: 'Every connection open to all pipelines instead', to: 'Pipelines that keep access (none: the ones that used it lately)', project: 'Project' },
  async choices(ctx, input) {
    const [connections, projects] = await Promise.all([connectionsInScope(ctx), projectChoices(ctx)]);
    const name = typeof input.name === 'string' ? input.name.toLowerCase() : undefined;
    const named = typeof input.project === 'string' ? input.project : connections.find((c) => c.endpoint.name.toLowerCase() === name)?.project.name;
    return { name: connectionChoices(connections), to: await pipelineChoices(ctx, named), project: projects };
  },
};
