metadata name = 'Private endpoint'
metadata description = 'One private endpoint for one sub-resource of a service, registered in its private DNS zone.'

@description('Required. Azure region.')
param location string

@description('Optional. Tags.')
param tags object = {}

@description('Required. Endpoint name.')
param name string

@description('Required. Resource ID of the service (vault, storage account, ...).')
param serviceId string

@description('Required. Sub-resource, e.g. vault, blob, queue, table, file.')
param groupId string

@description('Required. Resource ID of the subnet.')
param subnetId string

@description('Required. Resource ID of the private DNS zone of that sub-resource.')
param privateDnsZoneId string

resource endpoint 'Microsoft.Network/privateEndpoints@2024-05-01' = {
  name: name
  location: location
  tags: union(tags, { Component: 'Network' })
  properties: {
    subnet: {
      id: subnetId
    }
    privateLinkServiceConnections: [
      {
        name: '${name}-connection'
        properties: {
          privateLinkServiceId: serviceId
          groupIds: [groupId]
        }
      }
    ]
  }
}

resource dnsZoneGroup 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = {
  parent: endpoint
  name: 'dns-zone-group'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: groupId
        properties: {
          privateDnsZoneId: privateDnsZoneId
        }
      }
    ]
  }
}
