metadata name = 'Service Bus entities'
metadata description = 'Queues, topics, subscriptions and SQL filter rules, read from the project\'s messaging topology (src/lib/messaging/topology.json), adjusted for Premium.'

import { premiumEntityProperties } from 'servicebus-functions.bicep'

@description('Required. Name of the Premium namespace.')
param namespaceName string

// The one source of truth for entity names and settings, shared with the app and the local host.
var topology = loadJsonContent('../../../src/lib/messaging/topology.json')

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: namespaceName
}

resource queues 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = [
  for queue in topology.queues: {
    parent: namespace
    name: queue.name
    properties: premiumEntityProperties(queue, ['name'])
  }
]

// One module per topic so its subscriptions and rules can name their parents.
module topics 'servicebus-topic.bicep' = [
  for topic in topology.topics: {
    name: 'servicebus-topic-${topic.name}'
    params: {
      namespaceName: namespace.name
      topic: topic
    }
  }
]

@description('Names of the queues created.')
output queueNames string[] = [for queue in topology.queues: queue.name]

@description('Names of the topics created.')
output topicNames string[] = [for topic in topology.topics: topic.name]
