metadata name = 'Key Vault'
metadata description = 'The one vault of the service: Redis and Service Bus secrets, read by the Function App through Key Vault references.'

@description('Required. Azure region.')
param location string

@description('Optional. Tags for every resource.')
param tags object = {}

@description('Optional. Vault name (Service Bus plan 6.2 app settings refer to it).')
@minLength(3)
@maxLength(24)
param keyVaultName string = 'tripgen-kv-prod'

@description('Optional. Days a deleted vault or secret can be recovered (Redis guide: 7).')
@minValue(7)
@maxValue(90)
param softDeleteRetentionDays int = 7

@description('Optional. Principal (user or pipeline) granted Key Vault Secrets Officer, replacing the guide\'s access policy for the deploying client. Empty: none.')
param secretsOfficerPrincipalId string = ''

@description('Optional. Pub/Sub channel patterns stored as the redis-ai-pubsub-config secret (Redis guide key_vault.tf).')
param pubSubChannels object = {
  job_status: 'ai:job:status:*'
  job_progress: 'ai:job:progress:*'
  job_complete: 'ai:job:complete:*'
  job_error: 'ai:job:error:*'
  recommendations: 'ai:recommendations:*'
}

@description('Required. Resource ID of the subnet of the private endpoint.')
param privateEndpointSubnetId string

@description('Required. Resource ID of the privatelink.vaultcore.azure.net zone.')
param privateDnsZoneId string

@description('Optional. Resource ID of the Log Analytics workspace receiving AuditEvent. Empty: none.')
param workspaceId string = ''

var keyVaultSecretsOfficerRoleId = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'

// RBAC instead of access policies: the app and operators get roles, the vault keeps no policy list.
resource vault 'Microsoft.KeyVault/vaults@2024-11-01' = {
  name: keyVaultName
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'premium'
    }
    enableRbacAuthorization: true
    enablePurgeProtection: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionDays
    enabledForDeployment: true
    enabledForDiskEncryption: true
    enabledForTemplateDeployment: true
    // Reached through its private endpoint only; ARM itself (template deployments) is a trusted service.
    publicNetworkAccess: 'Disabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Deny'
    }
  }
}

module privateEndpoint 'private-endpoint.bicep' = {
  name: 'pe-${keyVaultName}'
  params: {
    location: location
    tags: tags
    name: 'pe-${keyVaultName}'
    serviceId: vault.id
    groupId: 'vault'
    subnetId: privateEndpointSubnetId
    privateDnsZoneId: privateDnsZoneId
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = if (!empty(workspaceId)) {
  name: 'keyvault-diagnostics'
  scope: vault
  properties: {
    workspaceId: workspaceId
    logs: [{ category: 'AuditEvent', enabled: true }]
    metrics: [{ category: 'AllMetrics', enabled: true }]
  }
}

resource pubSubConfig 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = {
  parent: vault
  name: 'redis-ai-pubsub-config'
  tags: tags
  properties: {
    value: string({ channels: pubSubChannels })
    contentType: 'application/json'
  }
}

resource secretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(secretsOfficerPrincipalId)) {
  name: guid(vault.id, secretsOfficerPrincipalId, keyVaultSecretsOfficerRoleId)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsOfficerRoleId)
    principalId: secretsOfficerPrincipalId
  }
}

@description('Name of the vault.')
output name string = vault.name

@description('Pub/Sub channel patterns stored in redis-ai-pubsub-config (the guide\'s pubsub_channels output).')
output pubSubChannels object = pubSubChannels

@description('Vault URI, e.g. https://tripgen-kv-prod.vault.azure.net/.')
output uri string = vault.properties.vaultUri
