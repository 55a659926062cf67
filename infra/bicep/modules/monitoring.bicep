metadata name = 'Monitoring'
metadata description = 'The service-wide Log Analytics workspace, the workspace-based Application Insights and the one action group every alert notifies.'

import { emailReceiverType } from '../types.bicep'

@description('Required. Azure region.')
param location string

@description('Optional. Tags for every resource.')
param tags object = {}

@description('Optional. Log Analytics workspace name (Service Bus plan 7.1).')
param logAnalyticsName string = 'tripgen-logs-prod'

@description('Optional. Days Log Analytics keeps data (Redis guide: 30).')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

@description('Optional. Application Insights name.')
param appInsightsName string = 'appi-tripgen-ai-prod'

@description('Optional. Action group name (Service Bus plan 7.2).')
param actionGroupName string = 'tripgen-ai-alerts-prod'

@description('Optional. Action group short name shown in SMS and e-mail (at most 12 characters).')
@maxLength(12)
param actionGroupShortName string = 'aicache'

@description('Required. E-mail receivers of every alert.')
param emailReceivers emailReceiverType[]

@description('Optional. Webhook (Slack) that receives every alert; its URL carries a token, so it is secure. Empty: no webhook.')
@secure()
param webhookUri string = ''

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-02-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionDays
  }
}

// Not in the project's type definitions (checked as untyped); workspace-based, so its data lives in the workspace.
resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
  }
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: actionGroupName
  location: 'global'
  tags: tags
  properties: {
    groupShortName: actionGroupShortName
    enabled: true
    emailReceivers: [
      for receiver in emailReceivers: {
        name: receiver.name
        emailAddress: receiver.emailAddress
        useCommonAlertSchema: true
      }
    ]
    webhookReceivers: empty(webhookUri)
      ? []
      : [
          {
            name: 'slack-webhook'
            serviceUri: webhookUri
            useCommonAlertSchema: true
          }
        ]
  }
}

@description('Resource ID of the Log Analytics workspace.')
output workspaceId string = workspace.id

@description('Resource ID of Application Insights.')
output appInsightsId string = appInsights.id

@description('Name of Application Insights.')
output appInsightsName string = appInsights.name

@description('Resource ID of the action group.')
output actionGroupId string = actionGroup.id
