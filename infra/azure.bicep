// Kraftsamla in one resource group, in the layout of the Microsoft 365 Agents Toolkit's bot
// templates: a user-assigned managed identity that the bot signs in as (UserAssignedMSI, no
// secret) and that reads and writes the tables, a Linux App Service running Node.js 20 LTS, a
// storage account for the tables, and the Azure Bot registration (./botRegistration). The
// outputs go to env/.env.<environment> (the Toolkit's arm/deploy) for the deploy and package steps.
@maxLength(20)
@minLength(4)
@description('Used to generate names for all resources in this file')
param resourceBaseName string

@description('App Service plan SKU. B1 is the smallest with Always On, which the in-process scheduler needs.')
param webAppSKU string = 'B1'

@maxLength(42)
param botDisplayName string

param serverfarmsName string = resourceBaseName
param webAppName string = resourceBaseName
param identityName string = resourceBaseName
@maxLength(24)
@description('Globally unique, 3-24 lower-case letters and digits.')
param storageAccountName string = 'st${uniqueString(resourceGroup().id, resourceBaseName)}'
param location string = resourceGroup().location

@description('Comma-separated tenant ids whose activities the bot accepts. Empty: the tenant of the identity only.')
param allowedTenants string = ''
@description('Comma-separated Entra object ids or UPNs with the program admin role.')
param programAdmins string = ''
@description('Comma-separated Entra object ids or UPNs who may log decisions.')
param steeringMembers string = ''
@description('The program definition, relative to the deployed app (e.g. config/program.json). Empty: the shipped default.')
param programFile string = ''
@description('Client id of the Entra app registration that exposes the tab\'s API (access_as_user) for Teams SSO. The bot runs as a managed identity, which cannot expose one; empty: the tab signs nobody in.')
param tabAppId string = ''
@description('Prefix of every table name (letters and digits).')
param tablePrefix string = 'ks'
@allowed([
  'fatal'
  'error'
  'warn'
  'info'
  'debug'
  'trace'
  'silent'
])
param logLevel string = 'info'
@description('Storage account keys (connection strings). Off: only Entra identities (the bot\'s, an operator\'s az login) reach the tables.')
param allowSharedKeyAccess bool = false

// Built-in role "Storage Table Data Contributor": read, write and delete tables and entities.
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var appSettingsSpec = loadJsonContent('app-settings.json')
var tablesEndpoint = 'https://${storageAccountName}.table.${environment().suffixes.storage}'
// The App Service's default host name (what webApp.properties.defaultHostName will be: the site's
// own properties cannot be read inside its settings), in lower case as the App ID URI wants it.
var botDomain = toLower('${webAppName}.azurewebsites.net')

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  location: location
  name: identityName
}

resource storage 'Microsoft.Storage/storageAccounts@2021-09-01' = {
  kind: 'StorageV2'
  location: location
  name: storageAccountName
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: allowSharedKeyAccess
  }
}

resource tableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, storageTableDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Every value by the name app-settings.json gives it; the settings deployed are those names.
var appSettingValues = union(appSettingsSpec.fixed, {
  LOG_LEVEL: logLevel
  MICROSOFT_APP_ID: identity.properties.clientId
  MICROSOFT_APP_TENANT_ID: identity.properties.tenantId
  ALLOWED_TENANTS: empty(allowedTenants) ? identity.properties.tenantId : allowedTenants
  BOT_DOMAIN: botDomain
  // The program overview tab's SSO: an app registration of its own (docs/ADMIN.md), when given.
  TAB_APP_ID: tabAppId
  TAB_APP_ID_URI: empty(tabAppId) ? '' : 'api://${botDomain}/${tabAppId}'
  AZURE_TABLES_ENDPOINT: tablesEndpoint
  AZURE_CLIENT_ID: identity.properties.clientId
  TABLE_PREFIX: tablePrefix
  PROGRAM_FILE: programFile
  PROGRAM_ADMINS: programAdmins
  STEERING_MEMBERS: steeringMembers
})

// Compute resources for the Web App: Linux.
resource serverfarm 'Microsoft.Web/serverfarms@2021-02-01' = {
  kind: 'linux'
  location: location
  name: serverfarmsName
  sku: {
    name: webAppSKU
  }
  properties: {
    reserved: true
  }
}

// The Web App that hosts the bot. The zip it runs is built before it is deployed (m365agents.yml
// deploy), so App Service builds nothing; PORT is set by App Service.
resource webApp 'Microsoft.Web/sites@2021-02-01' = {
  kind: 'app,linux'
  location: location
  name: webAppName
  properties: {
    serverFarmId: serverfarm.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      appCommandLine: 'node dist/bot/index.js'
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/healthz'
      appSettings: [for name in appSettingsSpec.names: {
        name: name
        value: appSettingValues[name]
      }]
    }
  }
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  dependsOn: [
    tableDataContributor
  ]
}

// Register the web service as a bot with the Bot Framework.
module azureBotRegistration './botRegistration/azurebot.bicep' = {
  name: 'Azure-Bot-registration'
  params: {
    resourceBaseName: resourceBaseName
    identityClientId: identity.properties.clientId
    identityResourceId: identity.id
    identityTenantId: identity.properties.tenantId
    botAppDomain: webApp.properties.defaultHostName
    botDisplayName: botDisplayName
  }
}

// The outputs are written to env/.env.{envName}. Visit https://aka.ms/teamsfx-actions/arm-deploy for more details.
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output BOT_ID string = identity.properties.clientId
output BOT_TENANT_ID string = identity.properties.tenantId
output AZURE_STORAGE_ACCOUNT_NAME string = storage.name
output AZURE_TABLES_ENDPOINT string = tablesEndpoint
