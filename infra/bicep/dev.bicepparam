// Development: the same design at the smallest sizes that keep every feature (Premium, private endpoints, Geo-DR).
using './main.bicep'

param location = 'koreacentral'
param secondaryLocation = 'koreasouth'
param environmentName = 'Development'

param vnetName = 'tripgen-vnet-dev'
param keyVaultName = 'tripgen-kv-dev'
param logAnalyticsName = 'tripgen-logs-dev'
param appInsightsName = 'appi-tripgen-ai-dev'
param actionGroupName = 'tripgen-ai-alerts-dev'
param alertEmailReceivers = [
  {
    name: 'ai-team'
    emailAddress: 'ai-team@tripgen.com'
  }
]

param redisKind = 'managed'
param managedRedisName = 'amr-tripgen-ai-dev'
param managedRedisSku = 'Balanced_B1'
param appIdentityName = 'id-tripgen-ai-dev'

param redisName = 'redis-tripgen-ai-dev'
param redisCapacity = 1
param redisShardCount = 1
param redisZones = []
param redisReplicasPerPrimary = 1
// P1 has 6 GB: the production 8192 MB reservation would not fit.
param redisReservedMemoryMb = 512
param redisBackupStorageAccountName = 'staicachedevbackup'
param redisAuthMode = 'entra'

param serviceBusNamespaceName = 'ai-servicebus-dev'
param serviceBusSecondaryNamespaceName = 'ai-servicebus-dev-secondary'
param serviceBusGeoDrAliasName = 'ai-servicebus-dev-dr'
param serviceBusMessagingUnits = 1
param serviceBusAllowedIpRanges = []

param functionAppName = 'func-tripgen-ai-dev'
param functionPlanName = 'plan-tripgen-ai-dev'
param functionPlanSku = 'EP1'
param functionMaximumInstances = 3
param functionMinimumInstances = 1
param functionZoneRedundant = false
param functionStorageAccountName = 'sttripgenaifuncdev'
param durableTaskHubName = 'TripGenAIDev'
// The Entra ID app registration callers sign in to (App Service authentication); set where you deploy.
param authClientId = readEnvironmentVariable('AUTH_CLIENT_ID')
