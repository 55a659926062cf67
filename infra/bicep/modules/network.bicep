metadata name = 'Network'
metadata description = 'One VNet for the service: private endpoint subnets, the Function App integration subnet, and the private DNS zones linked to it.'

@description('Required. Azure region of the VNet.')
param location string

@description('Optional. Tags for every resource.')
param tags object = {}

@description('Optional. Name of the VNet (Service Bus plan 2.3).')
param vnetName string = 'tripgen-vnet-prod'

@description('Optional. Address space of the VNet (Redis guide main.tf).')
param addressPrefix string = '10.22.0.0/16'

@description('Optional. Subnet reserved for the cache (Redis guide: snet-cache). The cache itself is reached through a private endpoint.')
param cacheSubnetPrefix string = '10.22.1.0/24'

@description('Optional. Subnet of the Redis and Key Vault private endpoints (Redis guide: snet-private-endpoints).')
param privateEndpointSubnetPrefix string = '10.22.2.0/24'

@description('Optional. Subnet of the Service Bus private endpoint (Service Bus plan: servicebus-subnet-prod).')
param serviceBusSubnetPrefix string = '10.22.3.0/24'

@description('Optional. Subnet delegated to the Elastic Premium plan for VNet integration.')
param functionSubnetPrefix string = '10.22.4.0/24'

var subnetNames = {
  cache: 'snet-cache'
  privateEndpoints: 'snet-private-endpoints'
  serviceBus: 'servicebus-subnet-prod'
  functions: 'snet-function-integration'
}

// Private DNS zones the private endpoints register in; names are fixed by Azure.
var privateDnsZoneNames = {
  redis: 'privatelink.redis.cache.windows.net'
  serviceBus: 'privatelink.servicebus.windows.net'
  managedRedis: 'privatelink.redis.azure.net'
  keyVault: 'privatelink.vaultcore.azure.net'
  blob: 'privatelink.blob.${environment().suffixes.storage}'
  queue: 'privatelink.queue.${environment().suffixes.storage}'
  table: 'privatelink.table.${environment().suffixes.storage}'
  file: 'privatelink.file.${environment().suffixes.storage}'
}

// Subnets are declared inline so a redeploy of the VNet does not try to remove them.
resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: vnetName
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [addressPrefix]
    }
    subnets: [
      {
        name: subnetNames.cache
        properties: {
          addressPrefix: cacheSubnetPrefix
        }
      }
      {
        name: subnetNames.privateEndpoints
        properties: {
          addressPrefix: privateEndpointSubnetPrefix
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
      {
        name: subnetNames.serviceBus
        properties: {
          addressPrefix: serviceBusSubnetPrefix
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
      {
        name: subnetNames.functions
        properties: {
          addressPrefix: functionSubnetPrefix
          delegations: [
            {
              name: 'delegation-serverfarms'
              properties: {
                serviceName: 'Microsoft.Web/serverFarms'
              }
            }
          ]
        }
      }
    ]
  }
}

resource dnsZones 'Microsoft.Network/privateDnsZones@2024-06-01' = [
  for zone in items(privateDnsZoneNames): {
    name: zone.value
    location: 'global'
    tags: tags
  }
]

resource dnsZoneLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [
  for (zone, i) in items(privateDnsZoneNames): {
    parent: dnsZones[i]
    name: 'dns-link-${zone.key}'
    location: 'global'
    tags: tags
    properties: {
      registrationEnabled: false
      virtualNetwork: {
        id: vnet.id
      }
    }
  }
]

@description('Resource ID of the VNet.')
output vnetId string = vnet.id

@description('Resource ID of the subnet of the Redis private endpoint.')
output privateEndpointSubnetId string = resourceId('Microsoft.Network/virtualNetworks/subnets', vnetName, subnetNames.privateEndpoints)

@description('Resource ID of the subnet of the Service Bus private endpoint.')
output serviceBusSubnetId string = resourceId('Microsoft.Network/virtualNetworks/subnets', vnetName, subnetNames.serviceBus)

@description('Resource ID of the subnet the Function App integrates with.')
output functionSubnetId string = resourceId('Microsoft.Network/virtualNetworks/subnets', vnetName, subnetNames.functions)

@description('Resource ID of the privatelink.redis.cache.windows.net zone.')
output redisDnsZoneId string = dnsZones[0].id

@description('Resource ID of the privatelink.servicebus.windows.net zone.')
output serviceBusDnsZoneId string = dnsZones[1].id

@description('Resource IDs of every private DNS zone, by the keys of privateDnsZoneNames.')
output dnsZoneIds object = toObject(range(0, length(items(privateDnsZoneNames))), i => (items(privateDnsZoneNames)[i].key), i => (dnsZones[i].id))
