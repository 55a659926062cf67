metadata name = 'Role assignments'
metadata description = 'Every grant the app identity needs, in one place, deployed before the site: Service Bus Data Owner (both namespaces), Key Vault Secrets User, Functions storage data roles (host, Durable Functions, package), and the Premium cache\'s data access policy in entra mode (Managed Redis grants its own in managed-redis.bicep).'

import { redisAuthModeType, redisKindType } from '../types.bicep'

@description('Required. Object ID of the app\'s user-assigned identity.')
param principalId string

@description('Required. Primary Service Bus namespace name.')
param serviceBusNamespaceName string

@description('Required. Secondary Service Bus namespace name; granted too so a failover needs no new grant.')
param serviceBusSecondaryNamespaceName string

@description('Required. Key Vault name.')
param keyVaultName string

@description('Required. Functions storage account name.')
param storageAccountName string

@description('Optional. Premium cache name (redisKind premium).')
param redisName string = ''

@description('Optional. Which Redis service the app uses.')
param redisKind redisKindType = 'managed'

@description('Optional. Premium: entra assigns the app identity the cache\'s built-in Data Owner access policy.')
param redisAuthMode redisAuthModeType = 'entra'

// Built-in role definition IDs (the same in every tenant).
var roles = {
  serviceBusDataOwner: '090c5cfd-751d-490a-894a-3ce6f1109419'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
}

// Blob for the host, the package and schedule backups, queues and tables for Durable Functions.
var storageRoles = [roles.storageBlobDataOwner, roles.storageQueueDataContributor, roles.storageTableDataContributor]

resource primaryNamespace 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: serviceBusNamespaceName
}

resource secondaryNamespace 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: serviceBusSecondaryNamespaceName
}

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' existing = {
  name: keyVaultName
}

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource redis 'Microsoft.Cache/redis@2024-11-01' existing = {
  name: redisName
}

resource serviceBusPrimaryOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(primaryNamespace.id, principalId, roles.serviceBusDataOwner)
  scope: primaryNamespace
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataOwner)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource serviceBusSecondaryOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(secondaryNamespace.id, principalId, roles.serviceBusDataOwner)
  scope: secondaryNamespace
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataOwner)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource keyVaultSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource storageData 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in storageRoles: {
    name: guid(storage.id, principalId, roleId)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: principalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource redisDataOwner 'Microsoft.Cache/redis/accessPolicyAssignments@2024-11-01' = if (redisKind == 'premium' && redisAuthMode == 'entra') {
  parent: redis
  name: 'func-app-data-owner'
  properties: {
    accessPolicyName: 'Data Owner'
    objectId: principalId
    objectIdAlias: 'function-app'
  }
}
