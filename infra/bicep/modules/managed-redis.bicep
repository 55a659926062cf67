metadata name = 'Azure Managed Redis'
metadata description = 'Azure Managed Redis (Microsoft.Cache/redisEnterprise), the successor of Azure Cache for Redis: one OSS-cluster database on port 10000, TLS only, Entra ID only (no access keys), RDB persistence, private endpoint, high availability across zones.'

@description('Required. Azure region.')
param location string

@description('Optional. Tags for every resource.')
param tags object = {}

@description('Optional. Cluster name (1-60 letters, digits and single hyphens).')
param redisName string = 'amr-tripgen-ai-prod'

// Sized for the Redis guide's 104 GB: Balanced_B100 is the smallest Balanced size above it (see infra/README.md).
@description('Optional. Azure Managed Redis size: tier and memory in one name, e.g. Balanced_B100.')
param skuName string = 'Balanced_B100'

@description('Optional. Availability zones. Empty: Azure places the primary and replica shards across the region\'s zones itself (highAvailability).')
param zones string[] = []

@description('Optional. RDB snapshot interval (Redis guide: every 6 hours).')
@allowed(['1h', '6h', '12h'])
param rdbFrequency string = '6h'

@description('Required. Resource ID of the subnet of the private endpoint.')
param privateEndpointSubnetId string

@description('Required. Resource ID of the privatelink.redis.azure.net zone.')
param privateDnsZoneId string

@description('Optional. Name of the private endpoint.')
param privateEndpointName string = 'pe-amr-ai-prod'

@description('Required. Object ID of the app\'s identity, given the default data access policy (Entra ID auth).')
param appPrincipalId string

resource cluster 'Microsoft.Cache/redisEnterprise@2025-07-01' = {
  name: redisName
  location: location
  tags: union(tags, { Component: 'Cache' })
  zones: empty(zones) ? null : zones
  sku: {
    name: skuName
  }
  properties: {
    minimumTlsVersion: '1.2'
    highAvailability: 'Enabled'
    publicNetworkAccess: 'Disabled'
  }
}

// The keys, hash tags, checkpoint script and channels are the same as on the Premium cache: OSS cluster
// policy exposes the shards as a Redis Cluster, as Premium clustering does.
resource database 'Microsoft.Cache/redisEnterprise/databases@2025-07-01' = {
  parent: cluster
  name: 'default'
  properties: {
    clientProtocol: 'Encrypted'
    port: 10000
    clusteringPolicy: 'OSSCluster'
    evictionPolicy: 'AllKeysLRU'
    accessKeysAuthentication: 'Disabled'
    persistence: {
      rdbEnabled: true
      rdbFrequency: rdbFrequency
      aofEnabled: false
    }
  }
}

resource appAccess 'Microsoft.Cache/redisEnterprise/databases/accessPolicyAssignments@2025-07-01' = {
  parent: database
  name: 'tripgenaiapp'
  properties: {
    accessPolicyName: 'default'
    user: {
      objectId: appPrincipalId
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
        name: 'psc-amr-ai-prod'
        properties: {
          privateLinkServiceId: cluster.id
          groupIds: ['redisEnterprise']
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
        name: 'privatelink-redis-azure-net'
        properties: {
          privateDnsZoneId: privateDnsZoneId
        }
      }
    ]
  }
}

@description('Name of the cluster.')
output name string = cluster.name

@description('Host name of the cluster endpoint.')
output hostName string = cluster.properties.hostName

@description('TLS port of the database.')
output port int = 10000

@description('Private IP of the private endpoint.')
output privateEndpointIp string = privateEndpoint.properties.customDnsConfigs[0].ipAddresses[0]
