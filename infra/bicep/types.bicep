metadata name = 'Shared types'
metadata description = 'User-defined types shared by main.bicep and its modules.'

// ================ //
// Definitions      //
// ================ //

@export()
@description('An e-mail receiver of the action group.')
type emailReceiverType = {
  @description('Required. Receiver name, unique within the action group.')
  name: string

  @description('Required. E-mail address that receives the alerts.')
  emailAddress: string
}

@export()
@description('How the Function App authenticates to Redis: the access key from Key Vault, or its Entra identity.')
type redisAuthModeType = 'accessKey' | 'entra'

@export()
@description('Severity of an Azure Monitor alert: 0 Critical, 1 Error, 2 Warning, 3 Informational, 4 Verbose.')
@minValue(0)
@maxValue(4)
type alertSeverityType = int

@export()
@description('Which Redis service: managed = Azure Managed Redis (Microsoft.Cache/redisEnterprise), premium = Azure Cache for Redis Premium (retires 2028-09-30).')
type redisKindType = 'managed' | 'premium'
