metadata name = 'Telemetry alerts'
metadata description = 'Log alerts on the app\'s own OpenTelemetry metrics in Application Insights (customMetrics): job completion rate and duration, recommendation cache hit ratio, checkpoint latency. Names and thresholds come from src/lib/telemetry/telemetry-alerts.json, the file the app\'s instruments read.'

@description('Required. Azure region of the rules.')
param location string

@description('Optional. Tags for every resource.')
param tags object = {}

@description('Required. Resource ID of Application Insights.')
param appInsightsId string

@description('Required. Resource ID of the action group.')
param actionGroupId string

var telemetry = loadJsonContent('../../../src/lib/telemetry/telemetry-alerts.json')
var names = telemetry.metrics
var limits = telemetry.alerts

// Counters arrive as pre-aggregated rows (valueSum per export interval), histograms as valueSum and
// valueCount: sums and their ratios are what the alerts compare.
var alerts = [
  {
    name: 'ai-job-completion-rate'
    description: 'Jobs completed below ${limits.jobCompletionPercent.threshold} % of jobs ended in the window (at least ${limits.jobCompletionPercent.minimumJobs} jobs)'
    severity: limits.jobCompletionPercent.severity
    query: 'customMetrics | where name in ("${names.jobsCompleted}", "${names.jobsFailed}") | summarize completed = sumif(valueSum, name == "${names.jobsCompleted}"), ended = sum(valueSum) | where ended >= ${limits.jobCompletionPercent.minimumJobs} | extend AggregatedValue = 100.0 * completed / ended'
    operator: limits.jobCompletionPercent.operator
    threshold: limits.jobCompletionPercent.threshold
    windowSize: limits.jobCompletionPercent.windowSize
  }
  {
    name: 'ai-job-duration'
    description: 'Jobs ended in the window took more than ${limits.jobDurationSeconds.threshold} s on average'
    severity: limits.jobDurationSeconds.severity
    query: 'customMetrics | where name == "${names.jobDuration}" | summarize AggregatedValue = sum(valueSum) / sum(valueCount)'
    operator: limits.jobDurationSeconds.operator
    threshold: limits.jobDurationSeconds.threshold
    windowSize: limits.jobDurationSeconds.windowSize
  }
  {
    name: 'ai-recommendation-cache-hit-ratio'
    description: 'Recommendation cache hit ratio below ${limits.recommendationCacheHitPercent.threshold} % (at least ${limits.recommendationCacheHitPercent.minimumReads} reads)'
    severity: limits.recommendationCacheHitPercent.severity
    query: 'customMetrics | where name in ("${names.cacheHits}", "${names.cacheMisses}") and tostring(customDimensions.cache) == "recommendation" | summarize hits = sumif(valueSum, name == "${names.cacheHits}"), reads = sum(valueSum) | where reads >= ${limits.recommendationCacheHitPercent.minimumReads} | extend AggregatedValue = 100.0 * hits / reads'
    operator: limits.recommendationCacheHitPercent.operator
    threshold: limits.recommendationCacheHitPercent.threshold
    windowSize: limits.recommendationCacheHitPercent.windowSize
  }
  {
    name: 'ai-checkpoint-latency'
    description: 'Job checkpoints took more than ${limits.checkpointLatencyMs.threshold} ms on average'
    severity: limits.checkpointLatencyMs.severity
    query: 'customMetrics | where name == "${names.checkpointLatency}" | summarize AggregatedValue = sum(valueSum) / sum(valueCount)'
    operator: limits.checkpointLatencyMs.operator
    threshold: limits.checkpointLatencyMs.threshold
    windowSize: limits.checkpointLatencyMs.windowSize
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
            operator: alert.operator
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

