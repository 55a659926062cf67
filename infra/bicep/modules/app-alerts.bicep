metadata name = 'Application alerts'
metadata description = 'Log alerts on Application Insights for the Service Bus plan items that no Service Bus metric measures: processing duration and timeout (of orchestrations, not HTTP requests) and GPU utilisation.'

@description('Required. Azure region of the rules.')
param location string

@description('Optional. Tags for every resource.')
param tags object = {}

@description('Required. Resource ID of Application Insights.')
param appInsightsId string

@description('Required. Resource ID of the action group.')
param actionGroupId string

// Processing time is the time of a job's orchestration, read from the Durable Functions tracking events
// (traces of Host.Triggers.DurableTask, one per state change of an instance): not the `requests` table,
// where every HTTP call counts, including the SSE streams that stay open as long as a job runs.
var orchestrations = 'traces | where tostring(customDimensions.Category) == "Host.Triggers.DurableTask" and tostring(customDimensions.prop__functionType) == "Orchestrator" | extend instanceId = tostring(customDimensions.prop__instanceId), state = tostring(customDimensions.prop__state) | summarize started = minif(timestamp, state == "Started"), ended = maxif(timestamp, state in ("Completed", "Failed", "Terminated")) by instanceId | where isnotempty(started)'

var alerts = [
  {
    name: 'ai-processing-duration'
    description: 'AI Processing Duration: orchestrations finished in the window took longer than 1800 s (30 minutes) on average'
    severity: 2
    query: '${orchestrations} | where isnotempty(ended) | summarize AggregatedValue = avg(ended - started) / 1s'
    threshold: 1800
    windowSize: 'PT1H'
  }
  {
    name: 'ai-processing-timeout'
    description: 'AI Processing Timeout: an orchestration running, or finished, after more than 25 minutes'
    severity: 1
    query: '${orchestrations} | extend ranFor = iff(isempty(ended), now() - started, ended - started) | summarize AggregatedValue = max(ranFor) / 1m'
    threshold: 25
    windowSize: 'PT1H'
  }
  {
    name: 'ai-gpu-utilization'
    description: 'GPU Utilization (custom metric GpuUtilization) above 90 percent'
    severity: 2
    query: 'customMetrics | where name == "GpuUtilization" | summarize AggregatedValue = avg(value)'
    threshold: 90
    windowSize: 'PT15M'
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
      windowSize: alert.windowSize
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
