/**
 * The `create` form (issue 27): `create` typed with arguments missing. Choices for what the bot can read here:
 * the projects this conversation may read, the subscriptions its Azure connections already use, the Azure roles
 * `create` assigns, and the pipelines of the project given. The identity is typed (an app or a managed identity
 * client id: no list of the apps the bot may use can be read without listing the tenant's) or "new app".
 */
import type { CommandForm } from '../../commands/command';
import type { FormChoice } from '../../cards/form-view';
import { connectionsInScope, pipelineChoices, projectChoices, type ScopedConnection } from '../../commands/form-choices';
import { readKey } from '../../domain/endpoint';
import { AZURE_ROLES } from './create-connection';

function distinct(connections: readonly ScopedConnection[], value: (c: ScopedConnection) => FormChoice | undefined): FormChoice[] {
  const out = new Map<string, FormChoice>();
  for (const c of connections) {
    const choice = value(c);
    if (choice && !out.has(choice.value.toLowerCase())) out.set(choice.value.toLowerCase(), choice);
  }
  return [...out.values()].sort((a, b) => a.title.localeCompare(b.title));
}

const azure = (c: ScopedConnection): boolean => c.endpoint.type.toLowerCase() === 'azurerm';

function subscriptionOf(c: ScopedConnection): FormChoice | undefined {
  const id = azure(c) ? readKey(c.endpoint.data ?? undefined, 'subscriptionId') : undefined;
  const name = readKey(c.endpoint.data ?? undefined, 'subscriptionName');
  return id ? { title: name ? `${name} (${id})` : id, value: id } : undefined;
}

export const createForm: CommandForm = {
  labels: {
    name: 'Name of the new connection',
    project: 'Project',
    subscription: 'Azure subscription',
    resourceGroup: 'Resource group (optional: the whole subscription otherwise)',
    app: 'Existing app registration (or a managed identity, or a new app: one of the three)',
    identity: 'User-assigned managed identity client id',
    newApp: 'Register a new app for it',
    role: 'Azure role on the scope (optional)',
    pipelines: 'Pipelines that may use it',
  },
  async choices(ctx, input) {
    const project = typeof input.project === 'string' ? input.project : undefined;
    const [projects, connections, pipelines] = await Promise.all([projectChoices(ctx), connectionsInScope(ctx), pipelineChoices(ctx, project)]);
    return {
      project: projects,
      subscription: distinct(connections, subscriptionOf),
      role: Object.values(AZURE_ROLES).map((r) => ({ title: r.name, value: r.name })),
      pipelines,
    };
  },
};
