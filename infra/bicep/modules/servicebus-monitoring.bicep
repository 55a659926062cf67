metadata name = 'Service Bus monitoring'
metadata description = 'Diagnostic settings and the metric alerts of the Service Bus plan (7.1 metrics, 7.2 alerts).'

@description('Optional. Tags for every resource.')
param tags object = {}

@description('Required. Name of the primary namespace.')
param namespaceName string

@description('Required. Resource ID of the Log Analytics workspace.')
param workspaceId string

@description('Required. Resource ID of the action group.')
param actionGroupId string

@description('Optional. The queue whose dead letters mean a failed model training (plan 7.2).')
param modelTrainingQueueName string = 'ai-model-training'

var topology = loadJsonContent('../../../src/lib/messaging/topology.json')

// "AI processing queues": every queue of the topology except model training, which has its own alerts.
var processingQueueNames = filter(map(topology.queues, q => (q.name)), name => name != modelTrainingQueueName)

// Severities: Critical 0, Error 1, Warning 2. ActiveMessages and DeadletteredMessages have no Total
// aggregation, so the plan's "Total" counts use Maximum over the window.
var alerts = [
  {
    name: 'sb-ai-processing-queue-depth'
    description: 'AI Processing Queue Depth: more than 5000 messages waiting'
    severity: 1
    metricName: 'ActiveMessages'
    operator: 'GreaterThan'
    threshold: 5000
    timeAggregation: 'Average'
    windowSize: 'PT5M'
    entityNames: processingQueueNames
  }
  {
    name: 'sb-ai-processing-backlog'
    description: 'AI Processing Backlog: AI processing queue > 3000 messages'
    severity: 2
    metricName: 'ActiveMessages'
    operator: 'GreaterThan'
    threshold: 3000
    timeAggregation: 'Average'
    windowSize: 'PT5M'
    entityNames: processingQueueNames
  }
  {
    name: 'sb-model-training-queue-depth'
    description: 'Model Training Queue Depth: more than 10 messages waiting'
    severity: 2
    metricName: 'ActiveMessages'
    operator: 'GreaterThan'
    threshold: 10
    timeAggregation: 'Maximum'
    windowSize: 'PT5M'
    entityNames: [modelTrainingQueueName]
  }
  {
    name: 'sb-dead-letter-message-count'
    description: 'Dead Letter Message Count: more than 5 dead letters in an entity'
    severity: 1
    metricName: 'DeadletteredMessages'
    operator: 'GreaterThan'
    threshold: 5
    timeAggregation: 'Maximum'
    windowSize: 'PT5M'
    entityNames: ['*']
  }
  {
    name: 'sb-model-training-failed'
    description: 'Model Training Failed: dead letter in model-training queue > 0'
    severity: 0
    metricName: 'DeadletteredMessages'
    operator: 'GreaterThan'
    threshold: 0
    timeAggregation: 'Maximum'
    windowSize: 'PT5M'
    entityNames: [modelTrainingQueueName]
  }
  {
    name: 'sb-ai-service-unavailable'
    description: 'AI Service Unavailable: no messages processed in 10 minutes'
    severity: 0
    metricName: 'CompleteMessage'
    operator: 'LessThan'
    threshold: 1
    timeAggregation: 'Total'
    windowSize: 'PT10M'
    entityNames: []
  }
]

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: namespaceName
}

// Not in the project's type definitions (checked as untyped).
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'servicebus-ai-diagnostics'
  scope: namespace
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

resource metricAlerts 'Microsoft.Insights/metricAlerts@2026-01-01' = [
  for alert in alerts: {
    name: alert.name
    location: 'global'
    tags: tags
    properties: {
      description: alert.description
      severity: alert.severity
      enabled: true
      scopes: [namespace.id]
      evaluationFrequency: 'PT1M'
      windowSize: alert.windowSize
      criteria: {
        'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
        allOf: [
          {
            criterionType: 'StaticThresholdCriterion'
            name: alert.metricName
            metricNamespace: 'Microsoft.ServiceBus/namespaces'
            metricName: alert.metricName
            operator: alert.operator
            threshold: alert.threshold
            timeAggregation: alert.timeAggregation
            dimensions: empty(alert.entityNames)
              ? []
              : [
                  {
                    name: 'EntityName'
                    operator: 'Include'
                    values: alert.entityNames
                  }
                ]
          }
        ]
      }
      actions: [
        {
          actionGroupId: actionGroupId
        }
      ]
    }
  }
]
