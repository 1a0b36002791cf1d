// scbot on Azure (m365agents.yml → arm/deploy): one user-assigned managed identity is the bot (Azure Bot,
// msaAppType UserAssignedMSI) and the identity that calls Azure DevOps, Graph and the store; a Linux App Service
// runs the built artifact on Node 24; the shared state is an Azure Table the identity may write; Application
// Insights takes telemetry. No secret is created, passed or output. What no template can grant (Azure DevOps
// roles, Graph application permissions) is in docs/deploying.md.

@minLength(4)
@maxLength(20)
@description('Prefix of every resource name (letters, digits, hyphens).')
param resourceBaseName string

param location string = resourceGroup().location

@allowed(['B1', 'B2', 'S1', 'P0v3', 'P1v3'])
@description('App Service plan size (Basic or higher: the bot needs Always On for its schedules).')
param appServiceSku string = 'B1'

@maxLength(42)
param botDisplayName string = 'scbot'

@description('Azure DevOps organization URL, e.g. https://dev.azure.com/contoso (AZURE_DEVOPS_ORG_URL).')
param devopsOrgUrl string

@description('Comma-separated projects to manage; empty: every project the identity can see (AZURE_DEVOPS_PROJECTS).')
param devopsProjects string = ''

@description('Tenants whose users may use the bot (SCBOT_ALLOWED_TENANTS); default: this deployment\'s tenant.')
param allowedTenants string = tenant().tenantId

@description('Entra object ids of users who may request changes (SCBOT_REQUESTER_IDS). Empty: nobody.')
param requesterIds string = ''

@description('Entra group object ids whose members may request changes (SCBOT_REQUESTER_GROUPS; needs Graph permissions).')
param requesterGroups string = ''

@description('Entra object ids of users who may approve changes (SCBOT_APPROVER_IDS). Empty: nobody.')
param approverIds string = ''

@description('Entra group object ids whose members may approve changes (SCBOT_APPROVER_GROUPS; needs Graph permissions).')
param approverGroups string = ''

@description('Teams conversation ids where changes may be requested (SCBOT_CHANGE_CONVERSATIONS); * = any. Empty: none.')
param changeConversations string = ''

@description('Teams conversation ids of an approvers\' channel (SCBOT_APPROVAL_CONVERSATIONS). Empty: approve where proposed.')
param approvalConversations string = ''

@description('Table of the shared store (SCBOT_STORAGE_TABLE).')
param storageTableName string = 'scbotstate'

// Built-in role "Storage Table Data Contributor": read, write and delete tables and entities.
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var storageAccountName = take(toLower(replace('${resourceBaseName}${uniqueString(resourceGroup().id)}', '-', '')), 24)

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: resourceBaseName
  location: location
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    // Entra only: the bot reaches the table with its managed identity, so no key or connection string exists.
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource table 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: storageTableName
}

resource tableWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, storageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: resourceBaseName
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: resourceBaseName
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: resourceBaseName
  location: location
  kind: 'linux'
  sku: {
    name: appServiceSku
  }
  properties: {
    reserved: true
  }
}

resource webApp 'Microsoft.Web/sites@2024-04-01' = {
  name: resourceBaseName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'NODE|24-lts'
      // The Dockerfile's CMD: the built artifact, production dependencies only (m365agents.yml stages them).
      appCommandLine: 'node --max-old-space-size=1024 dist/bot/main.js'
      alwaysOn: true
      healthCheckPath: '/healthz'
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      http20Enabled: true
      appSettings: [
        { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'false' }
        { name: 'LOG_FORMAT', value: 'json' }
        { name: 'MicrosoftAppId', value: identity.properties.clientId }
        { name: 'MicrosoftAppType', value: 'UserAssignedMSI' }
        { name: 'MicrosoftAppTenantId', value: identity.properties.tenantId }
        { name: 'AZURE_DEVOPS_ORG_URL', value: devopsOrgUrl }
        { name: 'AZURE_DEVOPS_PROJECTS', value: devopsProjects }
        { name: 'AZURE_DEVOPS_CREDENTIAL', value: 'managed-identity' }
        { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
        { name: 'AZURE_TENANT_ID', value: identity.properties.tenantId }
        { name: 'SCBOT_STORAGE_ACCOUNT_URL', value: storage.properties.primaryEndpoints.table }
        { name: 'SCBOT_STORAGE_TABLE', value: table.name }
        { name: 'SCBOT_ALLOWED_TENANTS', value: allowedTenants }
        { name: 'SCBOT_REQUESTER_IDS', value: requesterIds }
        { name: 'SCBOT_REQUESTER_GROUPS', value: requesterGroups }
        { name: 'SCBOT_APPROVER_IDS', value: approverIds }
        { name: 'SCBOT_APPROVER_GROUPS', value: approverGroups }
        { name: 'SCBOT_CHANGE_CONVERSATIONS', value: changeConversations }
        { name: 'SCBOT_APPROVAL_CONVERSATIONS', value: approvalConversations }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsights.properties.ConnectionString }
      ]
    }
  }
}

module azureBot './botRegistration/azurebot.bicep' = {
  name: 'azure-bot-registration'
  params: {
    botDisplayName: botDisplayName
    botServiceName: resourceBaseName
    identityClientId: identity.properties.clientId
    identityResourceId: identity.id
    identityTenantId: identity.properties.tenantId
    botAppDomain: webApp.properties.defaultHostName
  }
}

// Written to env/.env.<environment> by the toolkit; none is a secret.
output AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ID string = identity.properties.clientId
output BOT_TENANT_ID string = identity.properties.tenantId
output BOT_PRINCIPAL_ID string = identity.properties.principalId
output AZURE_BOT_NAME string = azureBot.outputs.botServiceName
