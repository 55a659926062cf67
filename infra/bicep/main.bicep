metadata name = 'TripGen AI Service'
metadata description = 'Every premium resource of the AI service: network, Redis, Service Bus with Geo-DR, Key Vault, monitoring and the Function App that runs this repository, plus its role assignments.'

import { emailReceiverType, redisAuthModeType, redisKindType } from 'types.bicep'

// ================ //
// Parameters       //
// ================ //

@description('Optional. Region of everything but the secondary Service Bus namespace (both seeds: Korea Central).')
param location string = resourceGroup().location

@description('Optional. Region of the secondary Service Bus namespace (Service Bus plan: Korea South).')
param secondaryLocation string = 'koreasouth'

@description('Optional. Environment name, written into the tags.')
@allowed(['Production', 'Development'])
param environmentName string = 'Production'

@description('Optional. Tags merged into every resource\'s tags.')
param extraTags object = {}

@description('Optional. VNet name.')
param vnetName string = 'tripgen-vnet-prod'

@description('Optional. Key Vault name.')
param keyVaultName string = 'tripgen-kv-prod'

@description('Optional. Principal granted Key Vault Secrets Officer (operators or the pipeline). Empty: none.')
param keyVaultSecretsOfficerPrincipalId string = ''

@description('Optional. Log Analytics workspace name.')
param logAnalyticsName string = 'tripgen-logs-prod'

@description('Optional. Application Insights name.')
param appInsightsName string = 'appi-tripgen-ai-prod'

@description('Optional. Action group name.')
param actionGroupName string = 'tripgen-ai-alerts-prod'

@description('Required. E-mail receivers of every alert.')
param alertEmailReceivers emailReceiverType[]

@description('Optional. Slack webhook URL receiving every alert (carries a token). Empty: none.')
@secure()
param alertWebhookUri string = ''

@description('Optional. managed: Azure Managed Redis (the successor); premium: the seed\'s Azure Cache for Redis Premium, which retires on 2028-09-30 (infra/README.md).')
param redisKind redisKindType = 'managed'

@description('Optional. Azure Managed Redis cluster name (redisKind managed).')
param managedRedisName string = 'amr-tripgen-ai-prod'

@description('Optional. Azure Managed Redis size (redisKind managed); Balanced_B100 holds the guide\'s 104 GB.')
param managedRedisSku string = 'Balanced_B100'

@description('Optional. Premium cache name (redisKind premium).')
param redisName string = 'redis-tripgen-ai-prod'

@description('Optional. Premium size 1-5 (P1-P5); see infra/README.md for the choice of P4.')
@allowed([1, 2, 3, 4, 5])
param redisCapacity int = 4

@description('Optional. Shards of the cluster.')
@minValue(1)
@maxValue(30)
param redisShardCount int = 6

@description('Optional. Availability zones of the cache.')
param redisZones string[] = ['1', '2', '3']

@description('Optional. Replicas per primary.')
@minValue(1)
@maxValue(3)
param redisReplicasPerPrimary int = 2

@description('Optional. maxmemory-reserved and maxmemory-delta in MB.')
@minValue(0)
param redisReservedMemoryMb int = 8192

@description('Optional. RDB backup storage account name.')
param redisBackupStorageAccountName string = 'staicacheprodbackup'

@description('Optional. Premium only: how the app authenticates (Managed Redis is always Entra ID).')
param redisAuthMode redisAuthModeType = 'entra'

@description('Optional. User-assigned identity the app runs as.')
param appIdentityName string = 'id-tripgen-ai-prod'

@description('Optional. Primary Service Bus namespace name.')
param serviceBusNamespaceName string = 'ai-servicebus-prod'

@description('Optional. Secondary Service Bus namespace name.')
param serviceBusSecondaryNamespaceName string = 'ai-servicebus-prod-secondary'

@description('Optional. Geo-DR alias name.')
param serviceBusGeoDrAliasName string = 'ai-servicebus-dr'

@description('Optional. Messaging units of each namespace.')
@allowed([1, 2, 4, 8, 16])
param serviceBusMessagingUnits int = 4

@description('Optional. Public IP ranges allowed to the namespace besides the private endpoint.')
param serviceBusAllowedIpRanges string[] = ['10.0.0.0/16']

@description('Optional. Keep Shared Access Signatures (the plan\'s ai-service-full-access fallback). Off: Entra ID only.')
param serviceBusAllowSharedAccessKeys bool = false

@description('Optional. Function App name.')
param functionAppName string = 'func-tripgen-ai-prod'

@description('Optional. Elastic Premium plan name.')
param functionPlanName string = 'plan-tripgen-ai-prod'

@description('Optional. Elastic Premium size.')
@allowed(['EP1', 'EP2', 'EP3'])
param functionPlanSku string = 'EP1'

@description('Optional. Most instances the plan scales out to.')
@minValue(1)
@maxValue(100)
param functionMaximumInstances int = 20

@description('Optional. Always-ready instances (3 in prod: one per zone).')
@minValue(1)
@maxValue(20)
param functionMinimumInstances int = 3

@description('Optional. Zone-redundant plan.')
param functionZoneRedundant bool = true

@description('Optional. Blob (in the Functions storage account\'s app-package container) the app runs from.')
param packageBlobName string = 'tripgen-ai-service.zip'

@description('Optional. Functions storage account name.')
param functionStorageAccountName string = 'sttripgenaifuncprod'

@description('Optional. Durable Task hub name.')
param durableTaskHubName string = 'TripGenAIProd'

@description('Required. Client (application) id of the Entra ID app registration that App Service authentication signs callers in to.')
param authClientId string

// ================ //
// Resources        //
// ================ //

var tags = union(
  {
    Environment: environmentName
    Service: 'AIService'
  },
  extraTags
)

module network 'modules/network.bicep' = {
  name: 'network'
  params: {
    location: location
    tags: tags
    vnetName: vnetName
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    tags: tags
    logAnalyticsName: logAnalyticsName
    appInsightsName: appInsightsName
    actionGroupName: actionGroupName
    emailReceivers: alertEmailReceivers
    webhookUri: alertWebhookUri
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    tags: tags
    keyVaultName: keyVaultName
    secretsOfficerPrincipalId: keyVaultSecretsOfficerPrincipalId
    privateEndpointSubnetId: network.outputs.privateEndpointSubnetId
    privateDnsZoneId: network.outputs.dnsZoneIds.keyVault
    workspaceId: monitoring.outputs.workspaceId
  }
}

// The identity exists and holds its roles (rbac) before the site: the first start resolves everything.
module appIdentity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    location: location
    tags: tags
    name: appIdentityName
  }
}

module functionsStorage 'modules/functions-storage.bicep' = {
  name: 'functions-storage'
  params: {
    location: location
    tags: tags
    accountName: functionStorageAccountName
    privateEndpointSubnetId: network.outputs.privateEndpointSubnetId
    privateDnsZoneIds: network.outputs.dnsZoneIds
    workspaceId: monitoring.outputs.workspaceId
  }
}

module managedRedis 'modules/managed-redis.bicep' = if (redisKind == 'managed') {
  name: 'managed-redis'
  params: {
    location: location
    tags: tags
    redisName: managedRedisName
    skuName: managedRedisSku
    privateEndpointSubnetId: network.outputs.privateEndpointSubnetId
    privateDnsZoneId: network.outputs.dnsZoneIds.managedRedis
    appPrincipalId: appIdentity.outputs.principalId
  }
}

module redis 'modules/redis.bicep' = if (redisKind == 'premium') {
  name: 'redis'
  params: {
    location: location
    tags: tags
    redisName: redisName
    capacity: redisCapacity
    shardCount: redisShardCount
    zones: redisZones
    replicasPerPrimary: redisReplicasPerPrimary
    maxmemoryReservedMb: redisReservedMemoryMb
    maxmemoryDeltaMb: redisReservedMemoryMb
    backupStorageAccountName: redisBackupStorageAccountName
    authMode: redisAuthMode
    privateEndpointSubnetId: network.outputs.privateEndpointSubnetId
    privateDnsZoneId: network.outputs.redisDnsZoneId
    keyVaultName: keyVault.outputs.name
  }
}

// Dedicated to backups (never the Durable task hub's account); the Premium cache writes RDB files with its identity.
module backupStorage 'modules/backup-storage.bicep' = {
  name: 'backup-storage'
  params: {
    location: location
    tags: tags
    accountName: redisBackupStorageAccountName
    cachePrincipalId: redisKind == 'premium' ? (redis.outputs.principalId) : ''
    appPrincipalId: appIdentity.outputs.principalId
    privateEndpointSubnetId: network.outputs.privateEndpointSubnetId
    privateDnsZoneId: network.outputs.dnsZoneIds.blob
  }
}

var redisHostName = redisKind == 'managed' ? (managedRedis.outputs.hostName) : (redis.outputs.hostName)
var redisPort = redisKind == 'managed' ? (managedRedis.outputs.port) : (redis.outputs.sslPort)

module redisMonitoring 'modules/redis-monitoring.bicep' = {
  name: 'redis-monitoring'
  params: {
    tags: tags
    redisKind: redisKind
    redisName: redisKind == 'managed' ? managedRedisName : redisName
    workspaceId: monitoring.outputs.workspaceId
    actionGroupId: monitoring.outputs.actionGroupId
  }
  dependsOn: [managedRedis, redis]
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  params: {
    location: location
    secondaryLocation: secondaryLocation
    tags: tags
    namespaceName: serviceBusNamespaceName
    secondaryNamespaceName: serviceBusSecondaryNamespaceName
    geoDrAliasName: serviceBusGeoDrAliasName
    messagingUnits: serviceBusMessagingUnits
    allowedIpRanges: serviceBusAllowedIpRanges
    allowSharedAccessKeys: serviceBusAllowSharedAccessKeys
    privateEndpointSubnetId: network.outputs.serviceBusSubnetId
    privateDnsZoneId: network.outputs.serviceBusDnsZoneId
    keyVaultName: keyVault.outputs.name
  }
}

module serviceBusEntities 'modules/servicebus-entities.bicep' = {
  name: 'servicebus-entities'
  params: {
    namespaceName: serviceBus.outputs.name
  }
}

module serviceBusMonitoring 'modules/servicebus-monitoring.bicep' = {
  name: 'servicebus-monitoring'
  params: {
    tags: tags
    namespaceName: serviceBus.outputs.name
    workspaceId: monitoring.outputs.workspaceId
    actionGroupId: monitoring.outputs.actionGroupId
  }
}

module rbac 'modules/rbac.bicep' = {
  name: 'rbac'
  params: {
    principalId: appIdentity.outputs.principalId
    serviceBusNamespaceName: serviceBus.outputs.name
    serviceBusSecondaryNamespaceName: serviceBus.outputs.secondaryName
    keyVaultName: keyVault.outputs.name
    storageAccountName: functionsStorage.outputs.name
    redisKind: redisKind
    redisName: redisName
    redisAuthMode: redisAuthMode
  }
  dependsOn: [redis]
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    location: location
    tags: tags
    functionAppName: functionAppName
    planName: functionPlanName
    planSku: functionPlanSku
    zoneRedundant: functionZoneRedundant
    minimumInstances: functionMinimumInstances
    maximumElasticWorkerCount: functionMaximumInstances
    storageAccountName: functionsStorage.outputs.name
    packageUrl: '${functionsStorage.outputs.blobEndpoint}/${functionsStorage.outputs.packageContainerName}/${packageBlobName}'
    identityResourceId: appIdentity.outputs.resourceId
    identityClientId: appIdentity.outputs.clientId
    identityPrincipalId: appIdentity.outputs.principalId
    integrationSubnetId: network.outputs.functionSubnetId
    appInsightsName: monitoring.outputs.appInsightsName
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    redisKind: redisKind
    redisAuthMode: redisAuthMode
    redisConnectionStringSecretUri: redisKind == 'premium' ? (redis.outputs.connectionStringSecretUri) : ''
    redisHostName: redisHostName
    redisPort: redisPort
    durableTaskHubName: durableTaskHubName
    backupStorageAccountName: backupStorage.outputs.name
    workspaceId: monitoring.outputs.workspaceId
    authClientId: authClientId
  }
  // Every grant first: Key Vault references, storage and Service Bus resolve on the first start.
  dependsOn: [rbac, backupStorage]
}

module appAlerts 'modules/app-alerts.bicep' = {
  name: 'app-alerts'
  params: {
    location: location
    tags: tags
    appInsightsId: monitoring.outputs.appInsightsId
    actionGroupId: monitoring.outputs.actionGroupId
  }
}

module telemetryAlerts 'modules/telemetry-alerts.bicep' = {
  name: 'telemetry-alerts'
  params: {
    location: location
    tags: tags
    appInsightsId: monitoring.outputs.appInsightsId
    actionGroupId: monitoring.outputs.actionGroupId
  }
}

// ================ //
// Outputs          //
// ================ //

@description('Cache host name.')
output redisHostName string = redisHostName

@description('Cache TLS port (10000 Managed Redis, 6380 Premium).')
output redisPort int = redisPort

@description('Private IP of the cache\'s private endpoint.')
output redisPrivateEndpointIp string = redisKind == 'managed'
  ? (managedRedis.outputs.privateEndpointIp)
  : (redis.outputs.privateEndpointIp)

@description('Key Vault URI.')
output keyVaultUri string = keyVault.outputs.uri

@description('Pub/Sub channel patterns (also in the redis-ai-pubsub-config secret).')
output pubSubChannels object = keyVault.outputs.pubSubChannels

@description('Service Bus host the app connects to.')
output serviceBusFullyQualifiedNamespace string = serviceBus.outputs.fullyQualifiedNamespace

@description('Function App name.')
output functionAppName string = functionApp.outputs.name

@description('Storage account and container npm run deploy:zip uploads the package to.')
output packageStorageAccountName string = functionsStorage.outputs.name
