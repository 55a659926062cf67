metadata name = 'Functions storage'
metadata description = 'The Functions host and Durable Functions storage account: keyless, private (blob, queue, table and file private endpoints), with the container the app package is deployed to.'

@description('Required. Azure region.')
param location string

@description('Optional. Tags.')
param tags object = {}

@description('Optional. Account name.')
@minLength(3)
@maxLength(24)
param accountName string = 'sttripgenaifuncprod'

@description('Optional. Container holding the deployment package (WEBSITE_RUN_FROM_PACKAGE points at a blob in it).')
param packageContainerName string = 'app-package'

@description('Required. Resource ID of the subnet of the private endpoints.')
param privateEndpointSubnetId string

@description('Required. Private DNS zone IDs by sub-resource: blob, queue, table, file.')
param privateDnsZoneIds object

@description('Optional. Resource ID of the Log Analytics workspace receiving the storage logs. Empty: none.')
param workspaceId string = ''

resource account 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: accountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_ZRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    publicNetworkAccess: 'Disabled'
    networkAcls: {
      defaultAction: 'Deny'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' = {
  parent: account
  name: 'default'
}

resource packageContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = {
  parent: blobService
  name: packageContainerName
  properties: {
    publicAccess: 'None'
  }
}

// The host uses blobs (leases, package), queues and tables (Durable Functions); file for completeness of the zones.
var subResources = ['blob', 'queue', 'table', 'file']

module privateEndpoints 'private-endpoint.bicep' = [
  for sub in subResources: {
    name: 'pe-${accountName}-${sub}'
    params: {
      location: location
      tags: tags
      name: 'pe-${accountName}-${sub}'
      serviceId: account.id
      groupId: sub
      subnetId: privateEndpointSubnetId
      privateDnsZoneId: privateDnsZoneIds[sub]
    }
  }
]

resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = if (!empty(workspaceId)) {
  name: 'storage-blob-diagnostics'
  scope: blobService
  properties: {
    workspaceId: workspaceId
    logs: [
      { category: 'StorageRead', enabled: true }
      { category: 'StorageWrite', enabled: true }
      { category: 'StorageDelete', enabled: true }
    ]
    metrics: [{ category: 'Transaction', enabled: true }]
  }
}

@description('Name of the account.')
output name string = account.name

@description('Blob endpoint of the account.')
output blobEndpoint string = 'https://${account.name}.blob.${environment().suffixes.storage}'

@description('Name of the package container.')
output packageContainerName string = packageContainer.name
