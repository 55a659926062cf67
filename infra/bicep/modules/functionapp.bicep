metadata name = 'Function App'
metadata description = 'Elastic Premium Linux plan and the Node.js 22 Function App with a system-assigned identity, VNet integration, identity-based storage and the settings the app reads (src/lib/config/settings.ts).'

import { redisAuthModeType } from '../types.bicep'

@description('Required. Azure region.')
param location string

@description('Optional. Tags for every resource.')
param tags object = {}

@description('Optional. Function App name.')
param functionAppName string = 'func-tripgen-ai-prod'

@description('Optional. Elastic Premium plan name.')
param planName string = 'plan-tripgen-ai-prod'

@description('Optional. Elastic Premium size.')
@allowed(['EP1', 'EP2', 'EP3'])
param planSku string = 'EP1'

@description('Optional. Instances kept warm.')
@minValue(1)
@maxValue(20)
param minimumInstances int = 1

@description('Optional. Most instances the plan scales out to.')
@minValue(1)
@maxValue(100)
param maximumElasticWorkerCount int = 20

@description('Optional. Storage account of the Functions host, Durable Functions and the schedule backups (no shared keys).')
@minLength(3)
@maxLength(24)
param storageAccountName string = 'sttripgenaifuncprod'

@description('Required. Resource ID of the subnet delegated to Microsoft.Web/serverFarms.')
param integrationSubnetId string

@description('Required. Name of Application Insights.')
param appInsightsName string

@description('Required. Host name of the Service Bus namespace the triggers connect to with the app identity.')
param serviceBusFullyQualifiedNamespace string

@description('Required. Key Vault secret URI of redis-ai-connection-string.')
param redisConnectionStringSecretUri string

@description('Optional. accessKey: REDIS_CONNECTION_STRING from Key Vault; entra: REDIS_ENTRA_HOST/USERNAME with the app identity.')
param redisAuthMode redisAuthModeType = 'accessKey'

@description('Required. Host name of the cache (used by the entra mode).')
param redisHostName string

@description('Optional. Durable Task hub name (3-45 letters and digits).')
@minLength(3)
@maxLength(45)
param durableTaskHubName string = 'TripGenAIProd'

@description('Optional. Service Bus plan AI.MaxProcessingTime (ISO 8601 duration).')
param aiMaxProcessingTime string = 'PT30M'

@description('Optional. Service Bus plan AI.ModelParallelism.')
@minValue(1)
param aiModelParallelism int = 4

@description('Optional. Service Bus plan AI.BatchSize.')
@minValue(1)
param aiBatchSize int = 100

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: storageAccountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_ZRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'elastic'
  sku: {
    name: planSku
    tier: 'ElasticPremium'
  }
  properties: {
    reserved: true
    maximumElasticWorkerCount: maximumElasticWorkerCount
  }
}

var redisSettings = redisAuthMode == 'entra'
  ? [
      { name: 'REDIS_ENTRA_HOST', value: '${redisHostName}:6380' }
      { name: 'REDIS_ENTRA_USERNAME', value: functionApp.identity.principalId }
    ]
  : [{ name: 'REDIS_CONNECTION_STRING', value: '@Microsoft.KeyVault(SecretUri=${redisConnectionStringSecretUri})' }]

// The names are the ones src/lib/config/settings.ts reads; values carry no secret (Key Vault reference, identities).
var baseSettings = [
  { name: 'FUNCTIONS_EXTENSION_VERSION', value: '~4' }
  { name: 'FUNCTIONS_WORKER_RUNTIME', value: 'node' }
  // No Azure Files content share: the app runs from the deployed zip (see infra/README.md).
  { name: 'WEBSITE_RUN_FROM_PACKAGE', value: '1' }
  { name: 'AzureWebJobsStorage__accountName', value: storage.name }
  { name: 'DURABLE_TASK_HUB_NAME', value: durableTaskHubName }
  { name: 'ServiceBusConnection__fullyQualifiedNamespace', value: serviceBusFullyQualifiedNamespace }
  { name: 'REDIS_CLUSTER', value: 'true' }
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsights.properties.ConnectionString }
  { name: 'AI_MAX_PROCESSING_TIME', value: aiMaxProcessingTime }
  { name: 'AI_MODEL_PARALLELISM', value: string(aiModelParallelism) }
  { name: 'AI_BATCH_SIZE', value: string(aiBatchSize) }
]

resource functionApp 'Microsoft.Web/sites@2024-11-01' = {
  name: functionAppName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    virtualNetworkSubnetId: integrationSubnetId
    keyVaultReferenceIdentity: 'SystemAssigned'
    siteConfig: {
      linuxFxVersion: 'Node|22'
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      vnetRouteAllEnabled: true
      minimumElasticInstanceCount: minimumInstances
      // Lets the scale controller see Service Bus behind the private endpoint.
      functionsRuntimeScaleMonitoringEnabled: true
    }
  }
}

// Settings apart from the site so REDIS_ENTRA_USERNAME can use the identity the site creates.
resource appSettings 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: toObject(concat(baseSettings, redisSettings), s => (s.name), s => (s.value))
}

@description('Name of the Function App.')
output name string = functionApp.name

@description('Object ID of the Function App\'s system-assigned identity.')
output principalId string = functionApp.identity.principalId

@description('Name of the Functions storage account.')
output storageAccountName string = storage.name

@description('Default host name of the Function App.')
output defaultHostName string = functionApp.properties.defaultHostName
