/**
 * The real adapters (azure-devops-node-api, @azure/identity, Microsoft Graph and Key Vault over the Azure SDK
 * pipeline, the Store) for composeApp. Azure mode passes Azure's public endpoints; local mode passes the local
 * stand-ins' addresses and the CA they use. The code path is the same: only where it points differs.
 */
import { DEFAULT_CHANGE_SETTINGS, type ChangeSettings } from '../src/commands';
import type { BaseConfig, DevOpsConfig, IdentityConfig } from '../src/config';
import { AzureDevOpsPipelineAccess, azureDevOpsLanes, createAzureDevOpsServiceEndpoints } from '../src/devops/index';
import type { Clock } from '../src/domain/time';
import { policyNamesGroups, CachingMembershipSource, GraphMembershipSource } from '../src/policy/index';
import { GraphSignInNames } from '../src/policy/graph-sign-in-names';
import { AzureDevOpsRoles } from '../src/devops/azure-devops-roles';
import { AZURE_DEVOPS_SCOPE, createCredential, RefreshingTokenSource } from '../src/identity/index';
import type { Logger } from '../src/logging';
import { ARM_SCOPE, ArmManagedIdentities, ArmRoleAssignments, GRAPH_SCOPE, GraphAppRegistrations, GraphAppSecrets, KeyVaultSecrets, TokenSecretVerifier } from '../src/azure/index';
import { createStore, describeStore, type StoreSettings } from '../src/store/store-factory';
import { OtelTelemetry } from '../src/telemetry/otel-telemetry';
import type { Telemetry } from '../src/telemetry/telemetry.port';
import type { AppPorts } from './compose';

/** Where the services are when they are not Azure's public ones (the local stand-ins), and the CA they present. */
export interface CloudEndpoints {
  graphUrl: string;
  /** Azure Resource Manager (managed identities' federated credentials). */
  armUrl: string;
  keyVaultUrlTemplate: string;
  authorityHost: string;
  trust: { caCertificatePem: string };
}

export interface CloudPortsInput {
  identity: Readonly<IdentityConfig>;
  devops: Readonly<DevOpsConfig>;
  store: StoreSettings;
  /** Graph group lookups are built (and their permissions needed) only when the policy names groups. */
  policy: BaseConfig['policy'];
  /** True when SCBOT_POLICY_FILE's rules name Entra groups (they need the same Graph lookups). */
  policyFileNamesGroups?: boolean;
  /** Absent: Azure's public endpoints. */
  endpoints?: CloudEndpoints;
  clock: Clock;
  logger: Logger;
  /** Default: the OpenTelemetry API's globals (the SDK's once bot/main.ts started it, no-ops otherwise). */
  telemetry?: Telemetry;
}

export function cloudPorts(input: CloudPortsInput): AppPorts {
  const { clock, logger, endpoints } = input;
  const trust = endpoints ? { trust: endpoints.trust } : {};
  const credential = createCredential(input.identity, trust);
  const telemetry = input.telemetry ?? new OtelTelemetry();
  // One token source for the adapter and GET /readyz: the probe is answered from the token the calls use.
  const devopsTokens = new RefreshingTokenSource(credential, AZURE_DEVOPS_SCOPE, clock);
  const devops = createAzureDevOpsServiceEndpoints(input.devops, devopsTokens, { clock, logger, telemetry });
  const graphTokens = new RefreshingTokenSource(credential, GRAPH_SCOPE, clock);
  const graphUrl = endpoints ? { graphUrl: endpoints.graphUrl } : {};
  const armTokens = new RefreshingTokenSource(credential, ARM_SCOPE, clock);
  const armUrl = endpoints ? { armUrl: endpoints.armUrl } : {};
  // One store for plans and the audit trail: the shared Azure Table when configured (several instances),
  // otherwise the embedded store (one writer per state directory).
  const store = createStore(input.store, credential);
  logger.info({ store: describeStore(input.store) }, 'state store');
  const membership = policyNamesGroups(input.policy) || input.policyFileNamesGroups
    ? new CachingMembershipSource(new GraphMembershipSource({ tokens: graphTokens, ...graphUrl, ...trust, logger }), clock)
    : undefined;
  return {
    devops, store, clock, logger, devopsTokens, telemetry,
    // Same adapter underneath: one token, one retry policy, one rate-limit budget for the organization.
    pipelines: new AzureDevOpsPipelineAccess(devops),
    lanes: azureDevOpsLanes(devops),
    appSecrets: new GraphAppSecrets({ tokens: graphTokens, ...graphUrl, ...trust, logger }),
    // The Azure DevOps adapter is also the one place of the (inferred) issuer-migration call.
    migration: devops,
    appRegistrations: new GraphAppRegistrations({ tokens: graphTokens, ...graphUrl, ...trust, logger }),
    managedIdentities: new ArmManagedIdentities({ tokens: armTokens, ...armUrl, ...trust, logger }),
    roles: new ArmRoleAssignments({ tokens: armTokens, ...armUrl, ...trust, logger }),
    // Verify (endpoint proxy) is an Azure DevOps call: the same adapter, token and rate budget.
    verification: devops,
    vaultSecrets: new KeyVaultSecrets({ credential, ...(endpoints ? { urlTemplate: endpoints.keyVaultUrlTemplate, disableChallengeResourceVerification: true } : {}), ...trust }),
    verifier: new TokenSecretVerifier({ ...(endpoints ? { authorityHost: endpoints.authorityHost } : {}), ...trust }),
    ...(membership ? { membership } : {}),
    // [infer] Azure DevOps' identities and security roles, read only for policy rules that set `devOpsRole`.
    devopsRoles: new AzureDevOpsRoles(devops, { orgUrl: input.devops.orgUrl, clock }),
    signInNames: new GraphSignInNames({ tokens: graphTokens, ...graphUrl, ...trust, logger }, clock),
  };
}

/** The mutating commands' settings from configuration. */
export function changeSettings(config: Pick<BaseConfig, 'secretLifetimeDays' | 'secretRetireAfterHours'>, tenantId?: string): Readonly<ChangeSettings> {
  return { ...DEFAULT_CHANGE_SETTINGS, secretLifetimeDays: config.secretLifetimeDays, retireAfterHours: config.secretRetireAfterHours, ...(tenantId ? { tenantId } : {}) };
}
