/**
 * The deployment and the configuration agree: every application setting infra/azure.bicep gives
 * the App Service is one config/config.ts reads (or one App Service or Node.js reads, named as
 * such), every setting a bot in Azure needs is given, and together they make a configuration
 * that loads as the production one (UserAssignedMSI, the identity's tenant only, no secret).
 * The Toolkit files agree too: parameters, module parameters, outputs and the ${{…}} variables
 * of m365agents.yml and env/.env.dev.
 *
 * Bicep cannot be compiled here (no bicep CLI), so the bicep is read as text: the settings' names
 * live in infra/app-settings.json, which the bicep loads with loadJsonContent and deploys by name.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_VARIABLES, loadConfig } from '../../config/config';

const ROOT = path.join(__dirname, '..', '..');
const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), 'utf8');

interface SettingsSpec {
  names: string[];
  fixed: Record<string, string>;
  platform: string[];
  runtime: string[];
}

const spec = JSON.parse(read('infra/app-settings.json')) as SettingsSpec;
const bicep = read('infra/azure.bicep');
const botBicep = read('infra/botRegistration/azurebot.bicep');

/** The keys of the object literal that starts right after `opening` in `text`. */
function objectKeys(text: string, opening: string): string[] {
  const start = text.indexOf(opening);
  if (start < 0) throw new Error(`not found: ${opening}`);
  const rest = text.slice(start + opening.length);
  const body = rest.slice(0, rest.search(/^\s*\}/m));
  return [...body.matchAll(/^\s+([A-Za-z_][A-Za-z0-9_]*):/gm)].map((m) => m[1]);
}

/** `param name type [= default]` lines: name → has a default. */
function params(text: string): Map<string, boolean> {
  return new Map([...text.matchAll(/^param (\w+) \w+( = .*)?$/gm)].map((m) => [m[1], m[2] !== undefined]));
}

function outputs(text: string): string[] {
  return [...text.matchAll(/^output (\w+) /gm)].map((m) => m[1]);
}

function envFileNames(rel: string): Set<string> {
  return new Set([...read(rel).matchAll(/^([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1]));
}

function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\$\{\{([A-Z_][A-Z0-9_]*)\}\}/g)].map((m) => m[1]))];
}

/** The settings azure.bicep computes from the deployment (the rest come from `fixed`). */
const computed = objectKeys(bicep, 'var appSettingValues = union(appSettingsSpec.fixed, {');

/** A value like the one each computed setting gets in Azure (the parameters at their defaults). */
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const IDENTITY = '3b1c4a5e-6d7f-4a8b-9c0d-1e2f3a4b5c6d';
const DOMAIN = 'kraftsamlahnd01.azurewebsites.net';
/** The tab's own app registration (a managed identity cannot expose an API). */
const TAB_APP = '3c9d1f2e-4b5a-4c6d-9e8f-7a6b5c4d3e2f';

const EXAMPLE_VALUES: Record<string, string> = {
  LOG_LEVEL: 'info',
  MICROSOFT_APP_ID: IDENTITY,
  MICROSOFT_APP_TENANT_ID: TENANT,
  ALLOWED_TENANTS: TENANT,
  BOT_DOMAIN: DOMAIN,
  TAB_APP_ID: TAB_APP,
  TAB_APP_ID_URI: `api://${DOMAIN}/${TAB_APP}`,
  AZURE_TABLES_ENDPOINT: 'https://stabcdefghijklm.table.core.windows.net',
  AZURE_CLIENT_ID: IDENTITY,
  TABLE_PREFIX: 'ks',
  PROGRAM_FILE: '',
  PROGRAM_ADMINS: '',
  STEERING_MEMBERS: '',
};

/**
 * What a bot in Azure cannot do without: who it is (UserAssignedMSI as the identity's client id,
 * in its tenant), whom it answers (the tenant; an empty list would mean every tenant), and where
 * its tables are (the endpoint, reached as that identity: without them it would start the
 * embedded Azurite inside App Service).
 */
const REQUIRED_IN_AZURE = [
  'MICROSOFT_APP_TYPE',
  'MICROSOFT_APP_ID',
  'MICROSOFT_APP_TENANT_ID',
  'ALLOWED_TENANTS',
  'AZURE_TABLES_ENDPOINT',
  'AZURE_CLIENT_ID',
];

function infraEnvironment(): Record<string, string> {
  return Object.fromEntries(spec.names.map((name) => [name, spec.fixed[name] ?? EXAMPLE_VALUES[name]]));
}

describe('the App Service settings (infra/app-settings.json, infra/azure.bicep)', () => {
  it('are deployed by name from app-settings.json, each with exactly one value', () => {
    expect(bicep).toContain("var appSettingsSpec = loadJsonContent('app-settings.json')");
    expect(bicep).toMatch(
      /appSettings: \[for name in appSettingsSpec\.names: \{\s+name: name\s+value: appSettingValues\[name\]\s+\}\]/,
    );
    // No other list of settings anywhere in the infrastructure.
    expect(bicep.match(/appSettings:/g)).toHaveLength(1);
    expect(botBicep).not.toMatch(/appSettings/);

    expect(new Set(spec.names).size).toBe(spec.names.length);
    const fixed = Object.keys(spec.fixed);
    expect(fixed.filter((n) => computed.includes(n))).toEqual([]);
    expect([...fixed, ...computed].sort()).toEqual([...spec.names].sort());
  });

  it('are each read by config/config.ts, or by App Service or Node.js as declared', () => {
    const notRead = spec.names.filter(
      (n) => !CONFIG_VARIABLES.includes(n) && !spec.platform.includes(n) && !spec.runtime.includes(n),
    );
    expect(notRead).toEqual([]);
    // The exceptions are what they claim to be, and none hides a setting the config reads.
    expect(spec.platform.filter((n) => !/^(WEBSITE|SCM)_[A-Z_]+$/.test(n))).toEqual([]);
    expect(spec.runtime).toEqual(['NODE_ENV']);
    expect(
      [...spec.platform, ...spec.runtime].filter((n) => CONFIG_VARIABLES.includes(n) || !spec.names.includes(n)),
    ).toEqual([]);
  });

  it('give every setting a bot in Azure needs', () => {
    expect(REQUIRED_IN_AZURE.filter((n) => !spec.names.includes(n))).toEqual([]);
    expect(REQUIRED_IN_AZURE.filter((n) => !CONFIG_VARIABLES.includes(n))).toEqual([]);
    // Neither a secret nor a connection string: the identity is the only credential.
    expect(spec.names.filter((n) => /PASSWORD|SECRET|CONNECTION_STRING|KEY$/.test(n))).toEqual([]);
    // Whom it answers defaults to the identity's own tenant, never to "every tenant".
    expect(bicep).toContain('ALLOWED_TENANTS: empty(allowedTenants) ? identity.properties.tenantId : allowedTenants');
    expect(spec.fixed.MICROSOFT_APP_TYPE).toBe('UserAssignedMSI');
    expect(bicep).toMatch(/MICROSOFT_APP_ID: identity\.properties\.clientId/);
    expect(bicep).toMatch(/AZURE_CLIENT_ID: identity\.properties\.clientId/);
    expect(bicep).toMatch(/MICROSOFT_APP_TENANT_ID: identity\.properties\.tenantId/);
  });

  it('load as the production configuration', () => {
    expect(Object.keys(EXAMPLE_VALUES).sort()).toEqual([...computed].sort());
    const config = loadConfig(infraEnvironment());
    expect(config.auth).toMatchObject({
      appId: IDENTITY,
      appType: 'UserAssignedMSI',
      tenantId: TENANT,
      allowedTenants: [TENANT],
    });
    expect(config.auth.appPassword).toBeUndefined();
    expect(config.auth.tab).toMatchObject({ appId: TAB_APP, appIdUri: `api://${DOMAIN}/${TAB_APP}` });
    expect(config.storage.connectionString).toBeUndefined();
    expect(config.host).toBe('0.0.0.0');
    expect(spec.fixed).toMatchObject({
      NODE_ENV: 'production',
      LOG_FORMAT: 'json',
      SCM_DO_BUILD_DURING_DEPLOYMENT: 'false',
    });
  });

  it("give the tab's host and its SSO resource: the App Service's host and the tab's own app registration", () => {
    expect(bicep).toContain("var botDomain = toLower('${webAppName}.azurewebsites.net')");
    expect(bicep).toMatch(/^ {2}BOT_DOMAIN: botDomain$/m);
    // A managed identity cannot expose an API: the tab's SSO is an app registration of its own.
    expect(bicep).toMatch(/^ {2}TAB_APP_ID: tabAppId$/m);
    expect(bicep).toMatch(/^ {2}TAB_APP_ID_URI: empty\(tabAppId\) \? '' : 'api:\/\/\$\{botDomain\}\/\$\{tabAppId\}'$/m);
    // The packager's host is the output the Toolkit passes it (m365agents.yml), the same name.
    expect(bicep).toContain('output BOT_DOMAIN string = webApp.properties.defaultHostName');
    expect(read('m365agents.yml')).toContain('--host ${{BOT_DOMAIN}}');
  });

  it('run the built bot on Linux Node.js 20 LTS with the identity, and a storage account only that identity writes to', () => {
    expect(bicep).toContain("linuxFxVersion: 'NODE|20-lts'");
    expect(bicep).toContain("appCommandLine: 'node dist/bot/index.js'");
    expect(bicep).toMatch(/kind: 'app,linux'/);
    expect(bicep).toMatch(/reserved: true/);
    expect(bicep).toMatch(/type: 'UserAssigned'/);
    expect(bicep).toContain("name: 'Standard_LRS'");
    expect(bicep).toContain("minimumTlsVersion: 'TLS1_2'");
    expect(bicep).toContain('allowBlobPublicAccess: false');
    expect(bicep).toContain("var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'");
    expect(bicep).toMatch(/principalId: identity\.properties\.principalId/);
    expect(botBicep).toContain("msaAppType: 'UserAssignedMSI'");
    expect(botBicep).toContain("channelName: 'MsTeamsChannel'");
  });
});

describe('the Toolkit files agree with the bicep', () => {
  const main = params(bicep);
  const parameterFile = JSON.parse(read('infra/azure.parameters.json')) as { parameters: Record<string, unknown> };
  const yml = read('m365agents.yml');
  const envDev = envFileNames('env/.env.dev');

  it('azure.parameters.json gives only parameters azure.bicep has, and every one without a default', () => {
    const given = Object.keys(parameterFile.parameters);
    expect(given.filter((p) => !main.has(p))).toEqual([]);
    expect([...main].filter(([p, hasDefault]) => !hasDefault && !given.includes(p)).map(([p]) => p)).toEqual([]);
  });

  it('the bot registration module gets every parameter it needs and no other', () => {
    const passed = objectKeys(
      bicep,
      "module azureBotRegistration './botRegistration/azurebot.bicep' = {\n  name: 'Azure-Bot-registration'\n  params: {",
    );
    const wanted = params(botBicep);
    expect(passed.filter((p) => !wanted.has(p))).toEqual([]);
    expect([...wanted].filter(([p, hasDefault]) => !hasDefault && !passed.includes(p)).map(([p]) => p)).toEqual([]);
  });

  it('every ${{…}} in m365agents.yml and the parameters file is in env/.env.dev or written by provision', () => {
    const builtIn = ['TEAMSFX_ENV'];
    const known = new Set([...envDev, ...outputs(bicep), ...builtIn]);
    const used = [...placeholders(yml), ...placeholders(read('infra/azure.parameters.json'))];
    expect(used.filter((v) => !known.has(v))).toEqual([]);
    // What provision writes is listed in env/.env.dev, so an operator sees every value.
    expect(outputs(bicep).filter((o) => !envDev.has(o))).toEqual([]);
  });

  it('m365agents.yml provisions with the bicep and deploys the staged build to the App Service it created', () => {
    expect(yml).toMatch(
      /- uses: arm\/deploy[\s\S]*path: \.\/infra\/azure\.bicep[\s\S]*parameters: \.\/infra\/azure\.parameters\.json/,
    );
    expect(yml).toMatch(
      /- uses: azureAppService\/zipDeploy\s+with:\s+artifactFolder: \.\/build\/deploy\s+resourceId: \$\{\{BOT_AZURE_APP_SERVICE_RESOURCE_ID\}\}/,
    );
    expect(yml).toContain('run: node infra/stage-app.mjs');
    expect(fs.existsSync(path.join(ROOT, 'infra', 'stage-app.mjs'))).toBe(true);
    // The identity's client id is the bot id in the package; no Entra app or secret is created.
    expect(yml).toContain('--app-id ${{BOT_ID}}');
    expect(yml).not.toMatch(/aadApp\/create|botFramework\/create|SECRET_BOT_PASSWORD/);
  });
});
