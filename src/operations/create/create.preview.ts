import type { ItemLines } from '../../cards/plan-item-lines';
import { outsideText } from '../../cards/outside-text';
import { show } from '../../cards/plan-item-lines';
import type { CreateItem } from './create.payload';
import type { ServiceEndpoints } from '../../devops/service-endpoints.port';
import type { StepSubject } from '../operation';

const NAME_MAX = 80;

/** create: exactly what will exist afterwards — connection, identity, federated credential, scope, role, pipelines. */
export function createLines(create: NonNullable<CreateItem['create']>): string[] {
  const identity = create.identity.kind === 'app' ? `app registration ${show(create.identity.appId)}`
    : create.identity.kind === 'managed-identity' ? `managed identity ${show(create.identity.resourceId.split('/').pop() ?? create.identity.clientId)} (client id ${show(create.identity.clientId)})`
      : `new app registration ${show(create.identity.displayName)} with its service principal, owned by the bot`;
  return [
    `• connection: ${show(create.name)} · azurerm · WorkloadIdentityFederation · creationMode ${show('Manual')}`,
    `• signs in as: ${identity}`,
    `• federated credential: ${show(create.credential.name)} · issuer ${show(create.credential.issuer)} · audience ${show(create.credential.audience)} · subject as Azure DevOps names it`,
    `• scope: ${show(create.scope)}`,
    `• role: ${create.role ? `${show(create.role.name)} on the scope (assignment ${show(create.role.assignmentName)})` : 'none'}`,
    `• pipelines: ${create.pipelines.length ? create.pipelines.map((p) => `${show(p.name)} (id ${p.id})`).join(', ') : 'none yet'} (never all pipelines)`,
  ];
}

/** A connection to be made: no id yet, everything it will be. */
export function describeCreation(item: CreateItem): ItemLines {
  return { subtitle: `${outsideText(item.projectName, NAME_MAX)} · new connection`, changes: item.create ? createLines(item.create).join('\n\n') : '', compact: 'new' };
}

/** create in a person's words: what will exist afterwards, in the order it is made, and that a failure leaves nothing. */
export function createSteps(item: CreateItem, subject: StepSubject): string[] {
  const create = item.create;
  if (!create) return [`Create ${subject.name} in ${outsideText(item.projectName, NAME_MAX)}.`];
  const identity = create.identity.kind === 'app' ? `app registration ${show(create.identity.appId)}`
    : create.identity.kind === 'managed-identity' ? `managed identity ${show(create.identity.resourceId.split('/').pop() ?? create.identity.clientId)}`
      : `the new app registration ${show(create.identity.displayName)}`;
  const pipelines = create.pipelines.map((p) => show(p.name));
  return [
    ...(create.identity.kind === 'new-app' ? [`Create app registration ${show(create.identity.displayName)}, owned by scbot. Deleting the connection later does not delete it.`] : []),
    `Create ${subject.name} in ${outsideText(item.projectName, NAME_MAX)}, signing in to Azure as ${identity} with workload identity federation (no secret).`,
    `Add a federated credential to ${identity} so Azure trusts the connection.`,
    create.role ? `Give ${identity} the ${show(create.role.name)} role on ${show(create.scope)}.` : `Give it no Azure role: pipelines can sign in but reach nothing in ${show(create.scope)} until someone grants one.`,
    pipelines.length ? `Let only ${pipelines.join(', ')} use it (never every pipeline).` : 'Let no pipeline use it yet: authorize them one by one later.',
    'Check that it signs in, as the portal\'s Verify button does. If any step fails, everything made so far is removed again.',
  ];
}

/** Before execution nothing is this plan's own: any connection of that name is someone else's, whatever it carries. */
export async function nameTakenSincePreview(devops: ServiceEndpoints, item: CreateItem): Promise<boolean> {
  return (await devops.getByName(item.projectId, item.name, { includeFailed: true })) !== null;
}
