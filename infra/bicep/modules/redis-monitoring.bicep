metadata name = 'Redis monitoring'
metadata description = 'Diagnostic settings and the four metric alerts of the Redis guide (monitoring.tf).'

import { alertSeverityType } from '../types.bicep'

@description('Optional. Tags for every resource.')
param tags object = {}

@description('Required. Name of the cache.')
param redisName string

@description('Required. Resource ID of the Log Analytics workspace.')
param workspaceId string

@description('Required. Resource ID of the action group.')
param actionGroupId string

@description('Optional. The guide\'s alerts: metric, threshold (Average over 5 minutes, greater than) and severity.')
param alerts {
  @description('Required. Alert rule name.')
  name: string
  @description('Required. Alert description.')
  description: string
  @description('Required. Microsoft.Cache/redis metric.')
  metricName: string
  @description('Required. Fires above this value.')
  threshold: int
  @description('Required. Alert severity.')
  severity: alertSeverityType
}[] = [
  {
    name: 'redis-ai-cpu-alert'
    description: 'AI Cache CPU utilization is high'
    metricName: 'percentProcessorTime'
    threshold: 70
    severity: 2
  }
  {
    name: 'redis-ai-memory-alert'
    description: 'AI Cache memory usage is high'
    metricName: 'usedmemorypercentage'
    threshold: 85
    severity: 2
  }
  {
    name: 'redis-ai-pubsub-connection-alert'
    description: 'AI Cache Pub/Sub connections are high'
    metricName: 'connectedclients'
    threshold: 2000
    severity: 3
  }
  {
    name: 'redis-ai-ops-per-second-alert'
    description: 'AI Cache operations per second is high'
    metricName: 'operationsPerSecond'
    threshold: 50000
    severity: 3
  }
]

resource redis 'Microsoft.Cache/redis@2024-11-01' existing = {
  name: redisName
}

// Not in the project's type definitions (checked as untyped).
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'redis-ai-diagnostics'
  scope: redis
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        category: 'ConnectedClientList'
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
    tags: union(tags, { Component: 'Monitoring' })
    properties: {
      description: alert.description
      severity: alert.severity
      enabled: true
      scopes: [redis.id]
      evaluationFrequency: 'PT1M'
      windowSize: 'PT5M'
      criteria: {
        'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
        allOf: [
          {
            criterionType: 'StaticThresholdCriterion'
            name: alert.metricName
            metricNamespace: 'Microsoft.Cache/redis'
            metricName: alert.metricName
            operator: 'GreaterThan'
            threshold: alert.threshold
            timeAggregation: 'Average'
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
