// The Azure Bot: a user-assigned managed identity bot (msaAppType UserAssignedMSI: no app secret anywhere; new
// multi-tenant bots can no longer be created) and its Microsoft Teams channel. Called by ../azure.bicep.

@maxLength(42)
@description('Name shown for the bot in Azure.')
param botDisplayName string

@description('Globally unique name of the Azure Bot resource.')
param botServiceName string

@allowed(['F0', 'S1'])
@description('F0 is free for the Teams channel (Teams is a standard channel).')
param botServiceSku string = 'F0'

@description('Client id of the user-assigned managed identity: the bot\'s Microsoft App Id.')
param identityClientId string

@description('Resource id of that managed identity.')
param identityResourceId string

@description('Tenant of that managed identity.')
param identityTenantId string

@description('Host name of the web app that serves /api/messages.')
param botAppDomain string

resource botService 'Microsoft.BotService/botServices@2022-09-15' = {
  name: botServiceName
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botServiceSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${botAppDomain}/api/messages'
    msaAppType: 'UserAssignedMSI'
    msaAppId: identityClientId
    msaAppMSIResourceId: identityResourceId
    msaAppTenantId: identityTenantId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: botService
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
  }
}

output botServiceName string = botService.name
