metadata name = 'Service Bus'
metadata description = 'Premium namespace in Korea Central paired with a Korea South namespace through a Geo-DR alias, private endpoint, deny-by-default network rules, the fallback SAS rule with its connection string in Key Vault.'

@description('Required. Region of the primary namespace (Service Bus plan: Korea Central).')
param location string

@description('Optional. Region of the secondary namespace (Service Bus plan: Korea South).')
param secondaryLocation string = 'koreasouth'

@description('Optional. Tags for every resource.')
param tags object = {}

@description('Optional. Primary namespace name (Service Bus plan 2.1).')
@minLength(6)
@maxLength(50)
param namespaceName string = 'ai-servicebus-prod'

@description('Optional. Secondary namespace name (Service Bus plan 8.1).')
@minLength(6)
@maxLength(50)
param secondaryNamespaceName string = 'ai-servicebus-prod-secondary'

@description('Optional. Geo-DR alias name (Service Bus plan 8.1); failover is manual.')
param geoDrAliasName string = 'ai-servicebus-dr'

@description('Optional. Messaging units of each namespace (Service Bus plan: 4).')
@allowed([1, 2, 4, 8, 16])
param messagingUnits int = 4

@description('Optional. Premium partitions of the namespace. 1 keeps Geo-DR available and the model-training queue unpartitioned (see infra/README.md).')
@allowed([1, 2, 4])
param premiumMessagingPartitions int = 1

@description('Optional. Public IP ranges allowed besides the private endpoint (Service Bus plan 2.3 ip_rules).')
param allowedIpRanges string[] = ['10.0.0.0/16']

@description('Required. Resource ID of the subnet of the private endpoint.')
param privateEndpointSubnetId string

@description('Required. Resource ID of the privatelink.servicebus.windows.net zone.')
param privateDnsZoneId string

@description('Optional. Name of the private endpoint (Service Bus plan 2.3).')
param privateEndpointName string = 'ai-servicebus-pe-prod'

@description('Optional. Keep Shared Access Signatures usable and create the plan\'s ai-service-full-access rule and its connection-string secret. Off: Entra ID only (disableLocalAuth).')
param allowSharedAccessKeys bool = false

@description('Required. Name of the vault receiving the fallback connection string.')
param keyVaultName string

@description('Optional. Name of the secret holding the fallback connection string (Service Bus plan 6.2).')
param connectionStringSecretName string = 'ai-servicebus-connection'

var sku = {
  name: 'Premium'
  tier: 'Premium'
  capacity: messagingUnits
}

resource primary 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: namespaceName
  location: location
  tags: tags
  sku: sku
  properties: {
    minimumTlsVersion: '1.2'
    premiumMessagingPartitions: premiumMessagingPartitions
    zoneRedundant: true
    // Entra ID only unless SAS is asked for: the app and the triggers sign in with the app identity.
    disableLocalAuth: !allowSharedAccessKeys
    publicNetworkAccess: 'Disabled'
  }
}

// Entities and rules reach the secondary through Geo-DR metadata replication, so none is declared here.
resource secondary 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: secondaryNamespaceName
  location: secondaryLocation
  tags: tags
  sku: sku
  properties: {
    minimumTlsVersion: '1.2'
    premiumMessagingPartitions: premiumMessagingPartitions
    zoneRedundant: true
    disableLocalAuth: !allowSharedAccessKeys
    publicNetworkAccess: 'Disabled'
  }
}

// The same rules on both namespaces: after a failover the secondary takes the traffic under the alias.
var networkRuleProperties = {
  defaultAction: 'Deny'
  trustedServiceAccessEnabled: true
  publicNetworkAccess: 'Disabled'
  ipRules: [
    for range in allowedIpRanges: {
      ipMask: range
      action: 'Allow'
    }
  ]
}

resource networkRules 'Microsoft.ServiceBus/namespaces/networkRuleSets@2024-01-01' = {
  parent: primary
  name: 'default'
  properties: networkRuleProperties
}

resource secondaryNetworkRules 'Microsoft.ServiceBus/namespaces/networkRuleSets@2024-01-01' = {
  parent: secondary
  name: 'default'
  properties: networkRuleProperties
}

resource fullAccessRule 'Microsoft.ServiceBus/namespaces/AuthorizationRules@2024-01-01' = if (allowSharedAccessKeys) {
  parent: primary
  name: 'ai-service-full-access'
  properties: {
    rights: ['Send', 'Listen', 'Manage']
  }
}

resource geoDr 'Microsoft.ServiceBus/namespaces/disasterRecoveryConfigs@2024-01-01' = {
  parent: primary
  name: geoDrAliasName
  properties: {
    partnerNamespace: secondary.id
  }
  dependsOn: [networkRules, secondaryNetworkRules, fullAccessRule]
}

resource privateEndpoint 'Microsoft.Network/privateEndpoints@2024-05-01' = {
  name: privateEndpointName
  location: location
  tags: tags
  properties: {
    subnet: {
      id: privateEndpointSubnetId
    }
    privateLinkServiceConnections: [
      {
        name: 'ai-servicebus-connection'
        properties: {
          privateLinkServiceId: primary.id
          groupIds: ['namespace']
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
        name: 'privatelink-servicebus-windows-net'
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

resource connectionStringSecret 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = if (allowSharedAccessKeys) {
  parent: vault
  name: connectionStringSecretName
  tags: tags
  properties: {
    value: fullAccessRule.listKeys().primaryConnectionString
  }
}

@description('Resource ID of the primary namespace.')
output resourceId string = primary.id

@description('Name of the primary namespace.')
output name string = primary.name

@description('Resource ID of the secondary namespace.')
output secondaryResourceId string = secondary.id

@description('Name of the secondary namespace.')
output secondaryName string = secondary.name

@description('Host of the primary namespace itself.')
output primaryFullyQualifiedNamespace string = '${primary.name}.servicebus.windows.net'

@description('Host the app connects to: the Geo-DR alias, which follows a failover to the secondary.')
output fullyQualifiedNamespace string = '${geoDr.name}.servicebus.windows.net'
