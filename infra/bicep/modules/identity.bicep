metadata name = 'App identity'
metadata description = 'The user-assigned identity the Function App runs as. It exists, and gets its roles (rbac.bicep), before the site is created, so the first start already resolves Key Vault references and identity-based connections.'

@description('Required. Azure region.')
param location string

@description('Optional. Tags.')
param tags object = {}

@description('Optional. Identity name.')
param name string = 'id-tripgen-ai-prod'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

@description('Resource ID of the identity.')
output resourceId string = identity.id

@description('Client (application) ID: what the app and its connections name to use this identity.')
output clientId string = identity.properties.clientId

@description('Object ID: what role assignments and Redis access policies name.')
output principalId string = identity.properties.principalId
