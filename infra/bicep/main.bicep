metadata name = 'TripGen AI Service'
metadata description = 'Every premium resource of the AI service: network, Redis, Service Bus with Geo-DR, Key Vault, monitoring and the Function App that runs this repository, plus its role assignments.'

import { emailReceiverType, redisAuthModeType } from 'types.bicep'

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

@description('Optional. Cache name.')
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

@description('Optional. How the app authenticates to Redis.')
param redisAuthMode redisAuthModeType = 'accessKey'

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

@description('Optional. Functions storage account name.')
param functionStorageAccountName string = 'sttripgenaifuncprod'

@description('Optional. Durable Task hub name.')
param durableTaskHubName string = 'TripGenAIProd'

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
  }
}

module redis 'modules/redis.bicep' = {
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

module redisMonitoring 'modules/redis-monitoring.bicep' = {
  name: 'redis-monitoring'
  params: {
    tags: tags
    redisName: redis.outputs.name
    workspaceId: monitoring.outputs.workspaceId
    actionGroupId: monitoring.outputs.actionGroupId
  }
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

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    location: location
    tags: tags
    functionAppName: functionAppName
    planName: functionPlanName
    planSku: functionPlanSku
    maximumElasticWorkerCount: functionMaximumInstances
    storageAccountName: functionStorageAccountName
    integrationSubnetId: network.outputs.functionSubnetId
    appInsightsName: monitoring.outputs.appInsightsName
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    redisConnectionStringSecretUri: redis.outputs.connectionStringSecretUri
    redisAuthMode: redisAuthMode
    redisHostName: redis.outputs.hostName
    durableTaskHubName: durableTaskHubName
  }
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

module rbac 'modules/rbac.bicep' = {
  name: 'rbac'
  params: {
    principalId: functionApp.outputs.principalId
    serviceBusNamespaceName: serviceBus.outputs.name
    serviceBusSecondaryNamespaceName: serviceBus.outputs.secondaryName
    keyVaultName: keyVault.outputs.name
    storageAccountName: functionApp.outputs.storageAccountName
    redisName: redis.outputs.name
    redisAuthMode: redisAuthMode
  }
}

// ================ //
// Outputs          //
// ================ //

@description('Cache host name.')
output redisHostName string = redis.outputs.hostName

@description('Cache TLS port.')
output redisPort int = redis.outputs.sslPort

@description('Private IP of the cache\'s private endpoint.')
output redisPrivateEndpointIp string = redis.outputs.privateEndpointIp

@description('Key Vault URI.')
output keyVaultUri string = keyVault.outputs.uri

@description('Pub/Sub channel patterns (also in the redis-ai-pubsub-config secret).')
output pubSubChannels object = keyVault.outputs.pubSubChannels

@description('Service Bus host the app connects to.')
output serviceBusFullyQualifiedNamespace string = serviceBus.outputs.fullyQualifiedNamespace

@description('Function App name, for az functionapp deployment source config-zip.')
output functionAppName string = functionApp.outputs.name
