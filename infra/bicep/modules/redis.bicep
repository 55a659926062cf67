metadata name = 'Redis'
metadata description = 'Azure Cache for Redis Premium as the Redis guide specifies (redisKind premium): clustered, zone redundant, TLS only, private, RDB backups written with the cache identity, secrets in Key Vault.'

import { redisAuthModeType } from '../types.bicep'

@description('Required. Azure region.')
param location string

@description('Optional. Tags for every resource.')
param tags object = {}

@description('Optional. Cache name (Redis guide).')
param redisName string = 'redis-tripgen-ai-prod'

@description('Optional. Premium size: 1 = P1 (6 GB) ... 4 = P4 (53 GB per shard), 5 = P5.')
@allowed([1, 2, 3, 4, 5])
param capacity int = 4

@description('Optional. Shards of the cluster (Redis guide: 6).')
@minValue(1)
@maxValue(30)
param shardCount int = 6

@description('Optional. Availability zones (Redis guide: 1, 2, 3). Empty: no zone pinning.')
param zones string[] = ['1', '2', '3']

@description('Optional. Replicas per primary; with three zones, two replicas put one node of each shard in each zone.')
@minValue(1)
@maxValue(3)
param replicasPerPrimary int = 2

@description('Optional. maxmemory-reserved in MB (Redis guide: 8192); must fit the size chosen by capacity.')
@minValue(0)
param maxmemoryReservedMb int = 8192

@description('Optional. maxmemory-delta in MB (Redis guide: 8192).')
@minValue(0)
param maxmemoryDeltaMb int = 8192

@description('Optional. Minutes between RDB snapshots (Redis guide: 360, every 6 hours).')
@allowed([15, 30, 60, 360, 720, 1440])
param rdbBackupFrequencyMinutes int = 360

@description('Optional. RDB snapshots kept (Redis guide: 3).')
@minValue(1)
param rdbBackupMaxSnapshotCount int = 3

@description('Optional. Name of the premium ZRS account receiving the RDB backups (Redis guide; deployed by backup-storage.bicep).')
@minLength(3)
@maxLength(24)
param backupStorageAccountName string = 'staicacheprodbackup'

@description('Optional. accessKey: the app reads the connection string from Key Vault; entra: Microsoft Entra authentication is enabled too.')
param authMode redisAuthModeType = 'accessKey'

@description('Required. Resource ID of the subnet of the private endpoint.')
param privateEndpointSubnetId string

@description('Required. Resource ID of the privatelink.redis.cache.windows.net zone.')
param privateDnsZoneId string

@description('Optional. Name of the private endpoint (Redis guide).')
param privateEndpointName string = 'pe-redis-ai-prod'

@description('Required. Name of the vault receiving the connection string and key.')
param keyVaultName string

// RDB snapshots are written with the cache's own identity (Storage Blob Data Contributor on the
// backup account, granted in backup-storage.bicep): no account key in the configuration.
var backupConnectionString = 'DefaultEndpointsProtocol=https;BlobEndpoint=https://${backupStorageAccountName}.blob.${environment().suffixes.storage}/;AccountName=${backupStorageAccountName}'

resource redis 'Microsoft.Cache/redis@2024-11-01' = {
  name: redisName
  location: location
  tags: union(tags, { Component: 'Cache' })
  zones: empty(zones) ? null : zones
  // Its identity writes the RDB snapshots (managed-identity persistence, API 2024-11-01).
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    sku: {
      name: 'Premium'
      family: 'P'
      capacity: capacity
    }
    shardCount: shardCount
    replicasPerPrimary: replicasPerPrimary
    enableNonSslPort: false
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Disabled'
    redisVersion: '6'
    disableAccessKeyAuthentication: false
    // Values are strings in the ARM schema. authnotrequired=false is the guide's enable_authentication.
    redisConfiguration: {
      authnotrequired: 'false'
      'maxmemory-policy': 'allkeys-lru'
      'maxmemory-reserved': string(maxmemoryReservedMb)
      'maxmemory-delta': string(maxmemoryDeltaMb)
      'notify-keyspace-events': 'AKE'
      'rdb-backup-enabled': 'true'
      'rdb-backup-frequency': string(rdbBackupFrequencyMinutes)
      'rdb-backup-max-snapshot-count': string(rdbBackupMaxSnapshotCount)
      'rdb-storage-connection-string': backupConnectionString
      'preferred-data-persistence-auth-method': 'ManagedIdentity'
      'storage-subscription-id': subscription().subscriptionId
      'aad-enabled': authMode == 'entra' ? 'true' : 'false'
    }
  }
}

resource privateEndpoint 'Microsoft.Network/privateEndpoints@2024-05-01' = {
  name: privateEndpointName
  location: location
  tags: union(tags, { Component: 'Network' })
  properties: {
    subnet: {
      id: privateEndpointSubnetId
    }
    privateLinkServiceConnections: [
      {
        name: 'psc-redis-ai-prod'
        properties: {
          privateLinkServiceId: redis.id
          groupIds: ['redisCache']
        }
      }
    ]
  }
}

resource dnsZoneGroup 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = {
  parent: privateEndpoint
  name: 'dns-zone-group'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: 'privatelink-redis-cache-windows-net'
        properties: {
          privateDnsZoneId: privateDnsZoneId
        }
      }
    ]
  }
}

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' existing = {
  name: keyVaultName
}

// The form the app's REDIS_CONNECTION_STRING parser expects (host:port,password=...,ssl=True,abortConnect=False).
resource connectionStringSecret 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = {
  parent: vault
  name: 'redis-ai-connection-string'
  tags: union(tags, { Component: 'Cache' })
  properties: {
    value: '${redis.properties.hostName}:${redis.properties.sslPort},password=${redis.listKeys().primaryKey},ssl=True,abortConnect=False'
  }
}

resource primaryKeySecret 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = {
  parent: vault
  name: 'redis-ai-primary-key'
  tags: union(tags, { Component: 'Cache' })
  properties: {
    value: redis.listKeys().primaryKey
  }
}

@description('Object ID of the cache\'s identity (granted write access to the backup account).')
output principalId string = redis.identity.principalId

@description('Resource ID of the cache.')
output resourceId string = redis.id

@description('Name of the cache.')
output name string = redis.name

@description('Host name of the cache (the guide\'s redis_hostname).')
output hostName string = redis.properties.hostName

@description('TLS port of the cache (the guide\'s redis_port).')
output sslPort int = redis.properties.sslPort

@description('Private IP of the private endpoint (the guide\'s private_endpoint_ip).')
output privateEndpointIp string = privateEndpoint.properties.customDnsConfigs[0].ipAddresses[0]

@description('Secret URI of redis-ai-connection-string, for the app\'s Key Vault reference (a URI, not the secret).')
output connectionStringSecretUri string = connectionStringSecret.properties.secretUri
