metadata name = 'Redis monitoring'
metadata description = 'Diagnostic settings and the four metric alerts of the Redis guide (monitoring.tf).'

import { alertSeverityType, redisKindType } from '../types.bicep'

@description('Optional. Tags for every resource.')
param tags object = {}

@description('Required. Name of the cache (Premium) or cluster (Managed Redis).')
param redisName string

@description('Optional. Which service redisName names; both publish the guide\'s four metrics under the same names.')
param redisKind redisKindType = 'managed'

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
  @description('Required. Metric of the cache (same name on Premium and Managed Redis).')
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

resource managedRedis 'Microsoft.Cache/redisEnterprise@2025-07-01' existing = {
  name: redisName
}

var metricNamespace = redisKind == 'managed' ? 'Microsoft.Cache/redisEnterprise' : 'Microsoft.Cache/redis'
var redisId = redisKind == 'managed' ? (managedRedis.id) : (redis.id)

resource managedDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = if (redisKind == 'managed') {
  name: 'redis-ai-diagnostics'
  scope: managedRedis
  properties: {
    workspaceId: workspaceId
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = if (redisKind == 'premium') {
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
      scopes: [redisId]
      evaluationFrequency: 'PT1M'
      windowSize: 'PT5M'
      criteria: {
        'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
        allOf: [
          {
            criterionType: 'StaticThresholdCriterion'
            name: alert.metricName
            metricNamespace: metricNamespace
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
