// Production: the names and values of the seeds (requirements/seed-requirements.json), with Azure Managed
// Redis in place of the retiring Premium cache; see infra/README.md. premium.bicepparam keeps the seed's P4.
using './main.bicep'

param location = 'koreacentral'
param secondaryLocation = 'koreasouth'
param environmentName = 'Production'

param vnetName = 'tripgen-vnet-prod'
param keyVaultName = 'tripgen-kv-prod'
param logAnalyticsName = 'tripgen-logs-prod'
param actionGroupName = 'tripgen-ai-alerts-prod'
param alertEmailReceivers = [
  {
    name: 'admin'
    emailAddress: 'admin@tripgen.com'
  }
  {
    name: 'ai-team'
    emailAddress: 'ai-team@tripgen.com'
  }
]
// The Slack URL carries a token: supplied at deploy time, never committed.
param alertWebhookUri = readEnvironmentVariable('ALERT_WEBHOOK_URI', '')

param redisKind = 'managed'
param managedRedisName = 'amr-tripgen-ai-prod'
param managedRedisSku = 'Balanced_B100'
param appIdentityName = 'id-tripgen-ai-prod'

// Used when redisKind = 'premium' (premium.bicepparam).
param redisName = 'redis-tripgen-ai-prod'
param redisCapacity = 4
param redisShardCount = 6
param redisZones = ['1', '2', '3']
param redisReplicasPerPrimary = 2
param redisReservedMemoryMb = 8192
param redisBackupStorageAccountName = 'staicacheprodbackup'
param redisAuthMode = 'entra'

param serviceBusNamespaceName = 'ai-servicebus-prod'
param serviceBusSecondaryNamespaceName = 'ai-servicebus-prod-secondary'
param serviceBusGeoDrAliasName = 'ai-servicebus-dr'
param serviceBusMessagingUnits = 4
param serviceBusAllowedIpRanges = ['10.0.0.0/16']
param serviceBusAllowSharedAccessKeys = false

param functionAppName = 'func-tripgen-ai-prod'
param functionPlanName = 'plan-tripgen-ai-prod'
param functionPlanSku = 'EP1'
param functionMaximumInstances = 20
param functionMinimumInstances = 3
param functionZoneRedundant = true
param functionStorageAccountName = 'sttripgenaifuncprod'
param durableTaskHubName = 'TripGenAIProd'
// The Entra ID app registration callers sign in to (App Service authentication); set where you deploy.
param authClientId = readEnvironmentVariable('AUTH_CLIENT_ID')
