metadata name = 'Backup storage'
metadata description = 'The premium ZRS block blob account of the Redis guide, dedicated to backups: no shared keys, no public access; the Premium cache writes its RDB snapshots with its own identity.'

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

@description('Name of the account.')
output name string = account.name
