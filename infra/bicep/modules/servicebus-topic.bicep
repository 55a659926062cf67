metadata name = 'Service Bus topic'
metadata description = 'One topic of the messaging topology with its subscriptions, each with its SQL filter as the $Default rule.'

import { premiumEntityProperties, settingsOf } from 'servicebus-functions.bicep'

@description('Required. Name of the Premium namespace.')
param namespaceName string

@description('Required. The topic\'s entry of src/lib/messaging/topology.json (ARM property names).')
param topic object

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: namespaceName
}

resource topicResource 'Microsoft.ServiceBus/namespaces/topics@2024-01-01' = {
  parent: namespace
  name: topic.name
  properties: premiumEntityProperties(topic, ['name', 'subscriptions'])
}

resource subscriptions 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2024-01-01' = [
  for sub in topic.subscriptions: {
    parent: topicResource
    name: sub.name
    properties: settingsOf(sub, ['name', 'rule'])
  }
]

// Replaces the subscription's default TrueFilter rule with the plan's SQL filter.
resource rules 'Microsoft.ServiceBus/namespaces/topics/subscriptions/rules@2024-01-01' = [
  for (sub, i) in topic.subscriptions: {
    parent: subscriptions[i]
    name: sub.rule.name
    properties: {
      filterType: 'SqlFilter'
      sqlFilter: {
        sqlExpression: sub.rule.sqlFilter
      }
    }
  }
]
