metadata name = 'Application alerts'
metadata description = 'Log alerts on Application Insights for the Service Bus plan items that no Service Bus metric measures: processing duration, processing timeout and GPU utilisation.'

@description('Required. Azure region of the rules.')
param location string

@description('Optional. Tags for every resource.')
param tags object = {}

@description('Required. Resource ID of Application Insights.')
param appInsightsId string

@description('Required. Resource ID of the action group.')
param actionGroupId string

// Durations in the requests table are milliseconds; the plan states them in seconds and minutes.
var alerts = [
  {
    name: 'ai-processing-duration'
    description: 'AI Processing Duration: average execution longer than 1800 s (30 minutes)'
    severity: 2
    query: 'requests | summarize AggregatedValue = avg(duration) / 1000'
    threshold: 1800
  }
  {
    name: 'ai-processing-timeout'
    description: 'AI Processing Timeout: an execution longer than 25 minutes'
    severity: 1
    query: 'requests | summarize AggregatedValue = max(duration) / 60000'
    threshold: 25
  }
  {
    name: 'ai-gpu-utilization'
    description: 'GPU Utilization (custom metric GpuUtilization) above 90 percent'
    severity: 2
    query: 'customMetrics | where name == "GpuUtilization" | summarize AggregatedValue = avg(value)'
    threshold: 90
  }
]

resource logAlerts 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [
  for alert in alerts: {
    name: alert.name
    location: location
    tags: tags
    kind: 'LogAlert'
    properties: {
      displayName: alert.name
      description: alert.description
      severity: alert.severity
      enabled: true
      scopes: [appInsightsId]
      evaluationFrequency: 'PT5M'
      windowSize: 'PT15M'
      criteria: {
        allOf: [
          {
            query: alert.query
            timeAggregation: 'Average'
            metricMeasureColumn: 'AggregatedValue'
            operator: 'GreaterThan'
            threshold: alert.threshold
            failingPeriods: {
              numberOfEvaluationPeriods: 1
              minFailingPeriodsToAlert: 1
            }
          }
        ]
      }
      actions: {
        actionGroups: [actionGroupId]
      }
    }
  }
]
