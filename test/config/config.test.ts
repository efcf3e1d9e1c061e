import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, loadConfig } from '../../config/config';

describe('config', () => {
  it('has sensible defaults and is frozen', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3978);
    // Anonymous: nothing checks who calls, so only loopback listens by default.
    expect(c.host).toBe('127.0.0.1');
    expect(loadConfig({ MICROSOFT_APP_ID: 'x', MICROSOFT_APP_PASSWORD: 'p' }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(c.auth.appId).toBeUndefined();
    expect(c.storage.connectionString).toBeUndefined();
    expect(c.storage.dataDir).toBe(path.resolve('./.data'));
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.auth)).toBe(true);
    expect(() => {
      (c as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('names the variables at fault', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ SCHEDULER_ENABLED: 'kanske' })).toThrow(/SCHEDULER_ENABLED/);
    expect(() => loadConfig({ MICROSOFT_APP_ID: 'x' })).toThrow(/MICROSOFT_APP_PASSWORD/);
    expect(() =>
      loadConfig({ MICROSOFT_APP_ID: 'x', MICROSOFT_APP_PASSWORD: 'p', MICROSOFT_APP_TYPE: 'SingleTenant' }),
    ).toThrow(ConfigError);
  });

  it('defaults allowed tenants to the app tenant when single-tenant', () => {
    const c = loadConfig({
      MICROSOFT_APP_ID: 'x',
      MICROSOFT_APP_PASSWORD: 'p',
      MICROSOFT_APP_TYPE: 'SingleTenant',
      MICROSOFT_APP_TENANT_ID: 'tid',
    });
    expect(c.auth.allowedTenants).toEqual(['tid']);
    expect(loadConfig({ ALLOWED_TENANTS: 'a, b' }).auth.allowedTenants).toEqual(['a', 'b']);
  });

  it('documents every variable in .env.example', () => {
    const example = fs.readFileSync(path.join(__dirname, '..', '..', '.env.example'), 'utf8');
    const documented = new Set([...example.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]));
    const source = fs.readFileSync(path.join(__dirname, '..', '..', 'config', 'config.ts'), 'utf8');
    const schemaBlock = source.slice(
      source.indexOf('const schema = z.object({'),
      source.indexOf('export type RawConfig'),
    );
    const variables = [...schemaBlock.matchAll(/^\s{2}([A-Z_]+):/gm)].map((m) => m[1]);
    expect(variables.length).toBeGreaterThan(20);
    expect(variables.filter((v) => !documented.has(v))).toEqual([]);
  });
});

/** The problems of a configuration that is refused, in one language. */
function problems(env: Record<string, string>, locale: 'sv-SE' | 'en-US'): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problemsIn(locale);
    throw err;
  }
  throw new Error(`accepted: ${JSON.stringify(env)}`);
}

const CLIENT_ID = '5b1f3a3e-8c1d-4f8e-9a51-2f4c6f9d0e11';
const TENANT_ID = '7e2a9c44-1b3d-4e5f-8a6b-0c1d2e3f4a5b';
const MSI = { MICROSOFT_APP_TYPE: 'UserAssignedMSI', MICROSOFT_APP_ID: CLIENT_ID, MICROSOFT_APP_TENANT_ID: TENANT_ID };

describe('UserAssignedMSI', () => {
  it('is accepted with the identity’s client id and tenant and no password; it allows only its own tenant', () => {
    const c = loadConfig(MSI);
    expect(c.auth).toMatchObject({
      appType: 'UserAssignedMSI',
      appId: CLIENT_ID,
      tenantId: TENANT_ID,
      appPassword: undefined,
      allowedTenants: [TENANT_ID],
    });
    // Listed tenants replace the default, as for SingleTenant.
    expect(loadConfig({ ...MSI, ALLOWED_TENANTS: `${TENANT_ID}, other` }).auth.allowedTenants).toEqual([
      TENANT_ID,
      'other',
    ]);
  });

  it('needs the tenant id (Swedish and English)', () => {
    expect(problems({ MICROSOFT_APP_TYPE: 'UserAssignedMSI', MICROSOFT_APP_ID: CLIENT_ID }, 'sv-SE')).toEqual([
      'MICROSOFT_APP_TENANT_ID: krävs när MICROSOFT_APP_TYPE=UserAssignedMSI: den hanterade identitetens klientorganisation (tenant id)',
    ]);
    expect(problems({ MICROSOFT_APP_TYPE: 'UserAssignedMSI', MICROSOFT_APP_ID: CLIENT_ID }, 'en-US')).toEqual([
      'MICROSOFT_APP_TENANT_ID: required when MICROSOFT_APP_TYPE=UserAssignedMSI: the managed identity’s tenant id',
    ]);
  });

  it('needs the app id, the identity’s client id (Swedish and English)', () => {
    expect(problems({ MICROSOFT_APP_TYPE: 'UserAssignedMSI', MICROSOFT_APP_TENANT_ID: TENANT_ID }, 'sv-SE')).toEqual([
      'MICROSOFT_APP_ID: krävs när MICROSOFT_APP_TYPE=UserAssignedMSI: den hanterade identitetens klient-id',
    ]);
    expect(problems({ MICROSOFT_APP_TYPE: 'UserAssignedMSI', MICROSOFT_APP_TENANT_ID: TENANT_ID }, 'en-US')).toEqual([
      'MICROSOFT_APP_ID: required when MICROSOFT_APP_TYPE=UserAssignedMSI: the managed identity’s client id',
    ]);
    // Both missing: both named.
    expect(problems({ MICROSOFT_APP_TYPE: 'UserAssignedMSI' }, 'en-US').map((p) => p.split(':')[0])).toEqual([
      'MICROSOFT_APP_ID',
      'MICROSOFT_APP_TENANT_ID',
    ]);
  });

  it('refuses a password (Swedish and English), and does not quote it', () => {
    const env = { ...MSI, MICROSOFT_APP_PASSWORD: 'a-secret-that-must-not-be-echoed' };
    expect(problems(env, 'sv-SE')).toEqual([
      'MICROSOFT_APP_PASSWORD: ska vara tomt när MICROSOFT_APP_TYPE=UserAssignedMSI: en hanterad identitet har inget lösenord',
    ]);
    expect(problems(env, 'en-US')).toEqual([
      'MICROSOFT_APP_PASSWORD: must be empty when MICROSOFT_APP_TYPE=UserAssignedMSI: a managed identity has no password',
    ]);
    expect(() => loadConfig(env)).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('a-secret-that-must-not-be-echoed') }),
    );
  });

  it('leaves the password flows as they were: MultiTenant allows every tenant unless listed, SingleTenant its own', () => {
    expect(loadConfig({ MICROSOFT_APP_ID: CLIENT_ID, MICROSOFT_APP_PASSWORD: 'p' }).auth.allowedTenants).toEqual([]);
    expect(
      loadConfig({ MICROSOFT_APP_ID: CLIENT_ID, MICROSOFT_APP_PASSWORD: 'p', MICROSOFT_APP_TENANT_ID: TENANT_ID }).auth
        .allowedTenants,
    ).toEqual([]);
    expect(
      loadConfig({ ...MSI, MICROSOFT_APP_TYPE: 'SingleTenant', MICROSOFT_APP_PASSWORD: 'p' }).auth.allowedTenants,
    ).toEqual([TENANT_ID]);
    expect(problems({ MICROSOFT_APP_ID: CLIENT_ID }, 'en-US')).toEqual([
      'MICROSOFT_APP_PASSWORD: required when MICROSOFT_APP_ID is set (unless MICROSOFT_APP_TYPE=UserAssignedMSI)',
    ]);
  });
});

describe('Azure Table Storage by endpoint and managed identity', () => {
  const ENDPOINT = 'https://kraftsamla.table.core.windows.net';
  const CONNECTION =
    'DefaultEndpointsProtocol=https;AccountName=kraftsamla;AccountKey=c2VjcmV0;EndpointSuffix=core.windows.net';

  it('reads the endpoint and the client id; neither is the embedded store, a connection string alone as before', () => {
    expect(loadConfig({ AZURE_TABLES_ENDPOINT: ENDPOINT, AZURE_CLIENT_ID: CLIENT_ID }).storage).toMatchObject({
      endpoint: ENDPOINT,
      clientId: CLIENT_ID,
      connectionString: undefined,
    });
    expect(loadConfig({ AZURE_TABLES_ENDPOINT: ENDPOINT }).storage).toMatchObject({
      endpoint: ENDPOINT,
      clientId: undefined,
    });
    expect(loadConfig({ AZURE_TABLES_CONNECTION_STRING: CONNECTION }).storage).toMatchObject({
      connectionString: CONNECTION,
      endpoint: undefined,
    });
    expect(loadConfig({}).storage).toMatchObject({ connectionString: undefined, endpoint: undefined });
    // A path-style endpoint (an emulator, a private endpoint with a path) is an https address too.
    expect(loadConfig({ AZURE_TABLES_ENDPOINT: 'https://127.0.0.1:10002/devstoreaccount1' }).storage.endpoint).toBe(
      'https://127.0.0.1:10002/devstoreaccount1',
    );
  });

  it('refuses the connection string and the endpoint together (Swedish and English)', () => {
    const env = { AZURE_TABLES_CONNECTION_STRING: CONNECTION, AZURE_TABLES_ENDPOINT: ENDPOINT };
    expect(problems(env, 'sv-SE')).toEqual([
      'AZURE_TABLES_ENDPOINT: sätt antingen AZURE_TABLES_CONNECTION_STRING eller AZURE_TABLES_ENDPOINT, inte båda',
    ]);
    expect(problems(env, 'en-US')).toEqual([
      'AZURE_TABLES_ENDPOINT: set either AZURE_TABLES_CONNECTION_STRING or AZURE_TABLES_ENDPOINT, not both',
    ]);
    expect(() => loadConfig(env)).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('c2VjcmV0') }),
    );
  });

  it.each([
    ['plain http', 'http://kraftsamla.table.core.windows.net'],
    ['not a URL', 'kraftsamla.table.core.windows.net'],
    ['a SAS in the query', 'https://kraftsamla.table.core.windows.net/?sv=2023-01-01&sig=c2VjcmV0'],
    ['credentials in the URL', 'https://user:pass@kraftsamla.table.core.windows.net'],
  ])('refuses an endpoint that is not an https address: %s (Swedish and English, not quoted)', (_name, endpoint) => {
    expect(problems({ AZURE_TABLES_ENDPOINT: endpoint }, 'sv-SE')).toEqual([
      'AZURE_TABLES_ENDPOINT: ska vara tabelltjänstens https-adress, t.ex. https://konto.table.core.windows.net (utan ?-del)',
    ]);
    expect(problems({ AZURE_TABLES_ENDPOINT: endpoint }, 'en-US')).toEqual([
      'AZURE_TABLES_ENDPOINT: expected the table service’s https address, e.g. https://account.table.core.windows.net (no ? part)',
    ]);
    expect(() => loadConfig({ AZURE_TABLES_ENDPOINT: endpoint })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('c2VjcmV0') }),
    );
  });

  it('refuses a client id that is no GUID (Swedish and English)', () => {
    expect(problems({ AZURE_TABLES_ENDPOINT: ENDPOINT, AZURE_CLIENT_ID: 'kraftsamla-id' }, 'sv-SE')).toEqual([
      'AZURE_CLIENT_ID: ska vara ett klient-id (GUID), t.ex. 00000000-0000-0000-0000-000000000000, inte "kraftsamla-id"',
    ]);
    expect(problems({ AZURE_TABLES_ENDPOINT: ENDPOINT, AZURE_CLIENT_ID: 'kraftsamla-id' }, 'en-US')).toEqual([
      'AZURE_CLIENT_ID: expected a client id (GUID) such as 00000000-0000-0000-0000-000000000000, got "kraftsamla-id"',
    ]);
  });

  it('the deployment’s settings together load: UserAssignedMSI, the endpoint and the same identity', () => {
    const c = loadConfig({
      ...MSI,
      AZURE_TABLES_ENDPOINT: ENDPOINT,
      AZURE_CLIENT_ID: CLIENT_ID,
      ALLOWED_TENANTS: TENANT_ID,
      LOG_FORMAT: 'json',
    });
    expect(c.auth).toMatchObject({ appType: 'UserAssignedMSI', allowedTenants: [TENANT_ID] });
    expect(c.storage).toMatchObject({ endpoint: ENDPOINT, clientId: CLIENT_ID });
  });
});

describe('telemetry settings', () => {
  it('export nowhere by default, and name the service kraftsamla', () => {
    expect(loadConfig({}).telemetry).toEqual({
      otlpEndpoint: undefined,
      serviceName: 'kraftsamla',
      appInsightsConnectionString: undefined,
    });
  });

  it('take an OTLP/HTTP endpoint, a service name and an Application Insights connection string', () => {
    const c = loadConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318',
      OTEL_SERVICE_NAME: 'kraftsamla-test',
      APPLICATIONINSIGHTS_CONNECTION_STRING:
        'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://x.in.applicationinsights.azure.com/',
    });
    expect(c.telemetry.otlpEndpoint).toBe('http://localhost:4318');
    expect(c.telemetry.serviceName).toBe('kraftsamla-test');
    expect(c.telemetry.appInsightsConnectionString).toMatch(/^InstrumentationKey=/);
  });

  it('refuse an endpoint that is no http address and a connection string without its key, never quoting it', () => {
    expect(problems({ OTEL_EXPORTER_OTLP_ENDPOINT: 'localhost:4318' }, 'en-US')).toEqual([
      'OTEL_EXPORTER_OTLP_ENDPOINT: expected the http or https address of the OTLP/HTTP receiver, e.g. http://localhost:4318 (no ? part)',
    ]);
    expect(problems({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector/?token=x' }, 'sv-SE')[0]).toMatch(
      /^OTEL_EXPORTER_OTLP_ENDPOINT: /,
    );
    const refused = problems(
      { APPLICATIONINSIGHTS_CONNECTION_STRING: 'IngestionEndpoint=https://secret-ish/' },
      'sv-SE',
    );
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatch(/^APPLICATIONINSIGHTS_CONNECTION_STRING: /);
    expect(refused[0]).not.toContain('secret-ish');
  });
});
