metadata name = 'Function App'
metadata description = 'Zone-redundant Elastic Premium Linux plan and the Node.js 22 Function App, running as the user-assigned identity (granted before the site exists), from a package in Blob Storage, with VNet integration and the settings the app reads (src/lib/config/settings.ts).'

import { redisAuthModeType, redisKindType } from '../types.bicep'

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

@description('Optional. Spread the plan\'s instances over availability zones (needs at least 3 always-ready instances here).')
param zoneRedundant bool = true

@description('Optional. Instances kept warm; with zone redundancy one per zone at least.')
@minValue(1)
@maxValue(20)
param minimumInstances int = 3

@description('Optional. Most instances the plan scales out to.')
@minValue(1)
@maxValue(100)
param maximumElasticWorkerCount int = 20

@description('Required. Name of the Functions storage account (functions-storage.bicep).')
param storageAccountName string

@description('Required. Blob URL of the deployment package, read with the app identity (npm run deploy:zip uploads it).')
param packageUrl string

@description('Required. Resource ID of the user-assigned identity the app runs as.')
param identityResourceId string

@description('Required. Client ID of that identity.')
param identityClientId string

@description('Required. Object ID of that identity (the Redis Entra user name).')
param identityPrincipalId string

@description('Required. Resource ID of the subnet delegated to Microsoft.Web/serverFarms.')
param integrationSubnetId string

@description('Required. Name of Application Insights.')
param appInsightsName string

@description('Required. Service Bus host the triggers and the sender connect to: the Geo-DR alias.')
param serviceBusFullyQualifiedNamespace string

@description('Optional. managed: Azure Managed Redis (Entra ID, port 10000); premium: Azure Cache for Redis Premium (6380).')
param redisKind redisKindType = 'managed'

@description('Optional. Premium only. accessKey: REDIS_CONNECTION_STRING from Key Vault; entra: REDIS_ENTRA_HOST with the app identity.')
param redisAuthMode redisAuthModeType = 'entra'

@description('Optional. Premium accessKey only: Key Vault secret URI of redis-ai-connection-string.')
param redisConnectionStringSecretUri string = ''

@description('Required. Host name of the cache.')
param redisHostName string

@description('Required. TLS port of the cache (10000 Managed Redis, 6380 Premium).')
param redisPort int

@description('Optional. Durable Task hub name (3-45 letters and digits).')
@minLength(3)
@maxLength(45)
param durableTaskHubName string = 'TripGenAIProd'

@description('Required. Storage account dedicated to backups (BACKUP_STORAGE_ACCOUNT_NAME).')
param backupStorageAccountName string

@description('Optional. Service Bus plan AI.MaxProcessingTime (ISO 8601 duration).')
param aiMaxProcessingTime string = 'PT30M'

@description('Optional. Service Bus plan AI.ModelParallelism.')
@minValue(1)
param aiModelParallelism int = 4

@description('Optional. Service Bus plan AI.BatchSize.')
@minValue(1)
param aiBatchSize int = 100

@description('Optional. Resource ID of the Log Analytics workspace receiving FunctionAppLogs. Empty: none.')
param workspaceId string = ''

@description('Required. Client (application) id of the Entra ID app registration callers sign in to (App Service authentication).')
param authClientId string

@description('Optional. Entra ID tenant of that app registration.')
param authTenantId string = tenant().tenantId

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'elastic'
  sku: {
    name: planSku
    tier: 'ElasticPremium'
    // A zone-redundant plan is created with its instance count (one per zone at least).
    capacity: minimumInstances
  }
  properties: {
    reserved: true
    zoneRedundant: zoneRedundant
    maximumElasticWorkerCount: maximumElasticWorkerCount
  }
}

var useEntra = redisKind == 'managed' || redisAuthMode == 'entra'
var redisSettings = useEntra
  ? [
      { name: 'REDIS_ENTRA_HOST', value: '${redisHostName}:${redisPort}' }
      { name: 'REDIS_ENTRA_USERNAME', value: identityPrincipalId }
    ]
  : [{ name: 'REDIS_CONNECTION_STRING', value: '@Microsoft.KeyVault(SecretUri=${redisConnectionStringSecretUri})' }]

// The names are the ones src/lib/config/settings.ts and the Functions host read; no value is a secret.
// Every identity-based connection names the user-assigned identity (credential + clientId).
var baseSettings = [
  { name: 'FUNCTIONS_EXTENSION_VERSION', value: '~4' }
  { name: 'FUNCTIONS_WORKER_RUNTIME', value: 'node' }
  // No Azure Files content share: the app runs from a package blob read with the identity.
  { name: 'WEBSITE_RUN_FROM_PACKAGE', value: packageUrl }
  { name: 'WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID', value: identityResourceId }
  { name: 'AZURE_MANAGED_IDENTITY_CLIENT_ID', value: identityClientId }
  { name: 'AzureWebJobsStorage__accountName', value: storageAccountName }
  { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
  { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
  { name: 'DURABLE_TASK_HUB_NAME', value: durableTaskHubName }
  { name: 'BACKUP_STORAGE_ACCOUNT_NAME', value: backupStorageAccountName }
  { name: 'ServiceBusConnection__fullyQualifiedNamespace', value: serviceBusFullyQualifiedNamespace }
  { name: 'ServiceBusConnection__credential', value: 'managedidentity' }
  { name: 'ServiceBusConnection__clientId', value: identityClientId }
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
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityResourceId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    virtualNetworkSubnetId: integrationSubnetId
    keyVaultReferenceIdentity: identityResourceId
    siteConfig: {
      linuxFxVersion: 'Node|22'
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      vnetRouteAllEnabled: true
      minimumElasticInstanceCount: minimumInstances
      // Lets the scale controller see Service Bus behind the private endpoint.
      functionsRuntimeScaleMonitoringEnabled: true
      // Settings are part of the site: they exist from the first start, and the identity they name
      // was granted its roles before this resource (main.bicep: dependsOn rbac).
      appSettings: concat(baseSettings, redisSettings)
    }
  }
}

// App Service authentication (Easy Auth): the platform validates each caller's Entra ID token, strips
// any x-ms-client-principal* header the client sent and writes its own, which the app reads as the
// caller (src/lib/api/caller.ts: oid claim = user id, roles claim TripGen.Admin = admin). A request
// without a valid token never reaches the app (401).
resource authSettings 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: functionApp
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
      runtimeVersion: '~1'
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'Return401'
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: authClientId
          openIdIssuer: 'https://login.microsoftonline.com/${authTenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [
            'api://${authClientId}'
            authClientId
          ]
        }
      }
    }
    login: {
      // An API: callers bring bearer tokens; no server-side token store is needed.
      tokenStore: {
        enabled: false
      }
    }
    httpSettings: {
      requireHttps: true
    }
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = if (!empty(workspaceId)) {
  name: 'functionapp-diagnostics'
  scope: functionApp
  properties: {
    workspaceId: workspaceId
    logs: [{ category: 'FunctionAppLogs', enabled: true }]
    metrics: [{ category: 'AllMetrics', enabled: true }]
  }
}

@description('Name of the Function App.')
output name string = functionApp.name

@description('Default host name of the Function App.')
output defaultHostName string = functionApp.properties.defaultHostName
