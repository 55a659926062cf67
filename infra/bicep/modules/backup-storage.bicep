metadata name = 'Backup storage'
metadata description = 'The premium ZRS block blob account of the Redis guide, dedicated to backups (the app\'s schedule backups, the Premium cache\'s RDB snapshots): no shared keys, private endpoint, each writer with its own identity.'

@description('Required. Azure region.')
param location string

@description('Optional. Tags for every resource.')
param tags object = {}

@description('Optional. Account name (Redis guide: staicacheprodbackup).')
@minLength(3)
@maxLength(24)
param accountName string = 'staicacheprodbackup'

@description('Optional. Object ID of the Premium cache\'s identity, granted Storage Blob Data Contributor. Empty: none (Managed Redis persists to its own disks).')
param cachePrincipalId string = ''

@description('Required. Object ID of the app identity, granted Storage Blob Data Contributor (schedule backups).')
param appPrincipalId string

@description('Required. Resource ID of the subnet of the private endpoint.')
param privateEndpointSubnetId string

@description('Required. Resource ID of the privatelink.blob zone.')
param privateDnsZoneId string

resource account 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: accountName
  location: location
  tags: union(tags, { Component: 'CacheBackup' })
  kind: 'BlockBlobStorage'
  sku: {
    name: 'Premium_ZRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    networkAcls: {
      defaultAction: 'Deny'
      // The cache reaches the account as a trusted Azure service.
      bypass: 'AzureServices'
    }
  }
}

var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

resource cacheWrites 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(cachePrincipalId)) {
  name: guid(account.id, cachePrincipalId, storageBlobDataContributor)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
    principalId: cachePrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource appWrites 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, appPrincipalId, storageBlobDataContributor)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// The app reaches the account from its VNet integration subnet.
module privateEndpoint 'private-endpoint.bicep' = {
  name: 'pe-${accountName}-blob'
  params: {
    location: location
    tags: tags
    name: 'pe-${accountName}-blob'
    serviceId: account.id
    groupId: 'blob'
    subnetId: privateEndpointSubnetId
    privateDnsZoneId: privateDnsZoneId
  }
}

@description('Name of the account.')
output name string = account.name
