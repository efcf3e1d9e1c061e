/**
 * The one place that reads the environment. Parsed once, validated, frozen (fastify's
 * validate-then-freeze): every other module receives a `Config` and never touches `process.env`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';
import { t, type TextKey } from '../domain/i18n';
import { type FieldIssue, fieldIssueText, zodFieldIssues } from '../domain/i18n/issues';
import type { Locale } from '../domain/types';

const bool = (fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const s = v.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(s)) return true;
      if (['0', 'false', 'no', 'off'].includes(s)) return false;
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: 'config.issue.boolean' satisfies TextKey,
        params: { value: v },
      });
      return z.NEVER;
    });

const list = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
  );

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  /** Default: loopback when anonymous (no app id: nothing checks who calls), all interfaces otherwise. */
  HOST: optionalString,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * `json` (one object per line) or `pretty` (one readable line per record, for a terminal).
   * Default: `pretty` when the output is a terminal outside production, `json` otherwise.
   */
  LOG_FORMAT: z.preprocess(
    (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : v.trim().toLowerCase()) : v),
    z.enum(['json', 'pretty']).optional(),
  ),
  /** OTLP/HTTP receiver of traces and metrics (`/v1/traces`, `/v1/metrics` are added); none: nothing is exported there. */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalString,
  /** The service name traces and metrics carry (default `kraftsamla`). */
  OTEL_SERVICE_NAME: optionalString,
  /** Application Insights: traces and metrics go there too; none: nothing is sent to Azure Monitor. */
  APPLICATIONINSIGHTS_CONNECTION_STRING: optionalString,

  MICROSOFT_APP_ID: optionalString,
  MICROSOFT_APP_PASSWORD: optionalString,
  MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  MICROSOFT_APP_TENANT_ID: optionalString,
  /** OpenID metadata URL for channel tokens; only tests and sovereign clouds change it. */
  BOT_OPENID_METADATA: optionalString,
  /** Issuer expected in channel tokens; only tests and sovereign clouds change it. */
  BOT_TOKEN_ISSUER: optionalString,
  /** The tab's Teams SSO tokens: OpenID metadata of Entra ID; only tests and sovereign clouds change it. */
  TAB_OPENID_METADATA: optionalString,
  /** The issuer the tab's tokens carry, `{tenantid}` standing for the token's tenant; only tests and sovereign clouds change it. */
  TAB_TOKEN_ISSUER: optionalString,
  /** The tab's Application ID URI (`api://<host>/botid-<app id>`), accepted as the tokens' audience beside the app id. */
  TAB_APP_ID_URI: optionalString,
  ALLOWED_TENANTS: list,
  /**
   * The bot's public host name (`kraftsamla.kommun.se`: no scheme, path or port), by the name the
   * Agents Toolkit writes it under. `npm run package` lists the program overview tab there.
   */
  BOT_DOMAIN: optionalString,
  /**
   * The Entra app (client id) whose exposed API the tab's SSO tokens are for; none: the bot's own
   * (MICROSOFT_APP_ID). A bot running as a managed identity names an app registration here.
   */
  TAB_APP_ID: optionalString,

  AZURE_TABLES_CONNECTION_STRING: optionalString,
  /** Table service endpoint reached with a managed identity instead of a connection string. */
  AZURE_TABLES_ENDPOINT: optionalString,
  /** Client id of the user-assigned managed identity used for that endpoint. */
  AZURE_CLIENT_ID: optionalString,
  TABLE_PREFIX: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9]{0,20}$/, 'config.issue.tablePrefix' satisfies TextKey)
    .default('ks'),
  DATA_DIR: z.string().default('./.data'),
  AZURITE_IN_MEMORY: bool(false),

  PROGRAM_FILE: optionalString,
  STEERING_MEMBERS: list,
  PROGRAM_ADMINS: list,
  SCHEDULER_ENABLED: bool(true),
  /** How often the in-process scheduler looks at the clock, in seconds. */
  SCHEDULER_TICK_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),

  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString,
  OPENAI_MODEL: z.string().default('gpt-4o-mini'),
  AZURE_OPENAI_API_KEY: optionalString,
  AZURE_OPENAI_ENDPOINT: optionalString,
  AZURE_OPENAI_DEPLOYMENT: optionalString,
});

export type RawConfig = z.infer<typeof schema>;

/** Every variable the configuration reads (the infrastructure test holds the deployment to it). */
export const CONFIG_VARIABLES: readonly string[] = Object.freeze(Object.keys(schema.shape));

/** What `npm run package` needs: no secret, so a missing password is no reason to refuse. */
export interface PackageSettings {
  appId?: string;
  programFile?: string;
  /** BOT_DOMAIN as given; the packager checks that it is a host name. */
  host?: string;
  /** TAB_APP_ID: the Entra app the tab's SSO is registered on, when it is not the bot's own. */
  tabAppId?: string;
}

export function loadPackageSettings(env: Record<string, string | undefined> = readEnvironment()): PackageSettings {
  const parsed = schema
    .pick({ MICROSOFT_APP_ID: true, PROGRAM_FILE: true, BOT_DOMAIN: true, TAB_APP_ID: true })
    .safeParse(env);
  if (!parsed.success) throw new ConfigError(zodFieldIssues(parsed.error, env));
  return Object.freeze({
    appId: parsed.data.MICROSOFT_APP_ID,
    programFile: parsed.data.PROGRAM_FILE,
    host: parsed.data.BOT_DOMAIN,
    tabAppId: parsed.data.TAB_APP_ID,
  });
}

export interface Config {
  port: number;
  host: string;
  logLevel: RawConfig['LOG_LEVEL'];
  /** Undefined: chosen at start (bot/logger.ts `chooseLogFormat`). */
  logFormat?: 'json' | 'pretty';
  /** NODE_ENV is `production`. */
  production: boolean;
  /** Where traces and metrics go; neither set: nowhere (nothing is loaded). */
  telemetry: {
    otlpEndpoint?: string;
    serviceName: string;
    appInsightsConnectionString?: string;
  };
  auth: {
    appId?: string;
    appPassword?: string;
    appType: RawConfig['MICROSOFT_APP_TYPE'];
    tenantId?: string;
    openIdMetadata?: string;
    tokenIssuer?: string;
    /** Empty means every tenant (multi-tenant) or the app's own tenant (single-tenant). */
    allowedTenants: readonly string[];
    /** How the tab checks the Teams SSO token of whoever opens it. */
    tab: { appId?: string; openIdMetadata: string; tokenIssuer: string; appIdUri?: string };
  };
  storage: {
    /** Exactly one of `connectionString` and `endpoint` is set for Azure; neither for the embedded Azurite. */
    connectionString?: string;
    /** Table service endpoint (https) reached with a managed identity (DefaultAzureCredential). */
    endpoint?: string;
    /** Client id of the user-assigned managed identity for `endpoint`; none: the credential's default. */
    clientId?: string;
    tablePrefix: string;
    dataDir: string;
    azuriteInMemory: boolean;
  };
  program: {
    file?: string;
    steeringMembers: readonly string[];
    admins: readonly string[];
  };
  scheduler: { enabled: boolean; tickSeconds: number };
  ai: {
    openAiKey?: string;
    openAiBaseUrl?: string;
    model: string;
    azureKey?: string;
    azureEndpoint?: string;
    azureDeployment?: string;
  };
}

/**
 * The configuration cannot be used. The problems are data (`issues`: the variable, a text key,
 * its parameters) and are written in the language asked for: `problemsIn(locale)`. Before the
 * configuration is read no program (so no language) is known, so `problems` and the message are
 * in Swedish, the default, and the message has the same in English beside it (the bot prints it
 * as it is; the CLIs print the header `cli.config.invalid` and `problemsIn` in their language).
 */
export class ConfigError extends Error {
  /** The problems in Swedish, e.g. `PORT: får vara högst 65535`. */
  readonly problems: string[];

  constructor(readonly issues: readonly FieldIssue[]) {
    super((['sv-SE', 'en-US'] as const).map((locale) => configErrorText(locale, issues)).join('\n'));
    this.name = 'ConfigError';
    this.problems = this.problemsIn('sv-SE');
  }

  /** One line per problem, `VARIABLE: what is wrong`, in the given language. */
  problemsIn(locale: Locale): string[] {
    return this.issues.map((issue) => fieldIssueText(locale, issue));
  }
}

function configErrorText(locale: Locale, issues: readonly FieldIssue[]): string {
  return [t(locale, 'cli.config.invalid'), ...issues.map((issue) => `  - ${fieldIssueText(locale, issue)}`)].join('\n');
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/** Reads `.env` (if present) under the real environment; the environment wins. */
export function readEnvironment(
  cwd = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string | undefined> {
  const file = path.join(cwd, '.env');
  const fromFile = fs.existsSync(file) ? parseDotenv(fs.readFileSync(file)) : {};
  return { ...fromFile, ...env };
}

/**
 * The bot's registration. A password flow (MultiTenant, SingleTenant) needs the app's secret; a
 * user-assigned managed identity (UserAssignedMSI) has none, and botbuilder needs its client id and
 * tenant to build it (it would otherwise fail later, inside the adapter).
 */
function authProblems(c: RawConfig): FieldIssue[] {
  const problems: FieldIssue[] = [];
  if (c.MICROSOFT_APP_TYPE === 'UserAssignedMSI') {
    if (!c.MICROSOFT_APP_ID) problems.push({ path: 'MICROSOFT_APP_ID', key: 'config.issue.msiAppId', params: {} });
    if (!c.MICROSOFT_APP_TENANT_ID)
      problems.push({ path: 'MICROSOFT_APP_TENANT_ID', key: 'config.issue.msiTenantId', params: {} });
    if (c.MICROSOFT_APP_PASSWORD)
      problems.push({ path: 'MICROSOFT_APP_PASSWORD', key: 'config.issue.msiPassword', params: {} });
    return problems;
  }
  if (c.MICROSOFT_APP_ID && !c.MICROSOFT_APP_PASSWORD) {
    problems.push({ path: 'MICROSOFT_APP_PASSWORD', key: 'config.issue.appPassword', params: {} });
  }
  if (c.MICROSOFT_APP_ID && c.MICROSOFT_APP_TYPE === 'SingleTenant' && !c.MICROSOFT_APP_TENANT_ID) {
    problems.push({ path: 'MICROSOFT_APP_TENANT_ID', key: 'config.issue.tenantId', params: {} });
  }
  return problems;
}

/**
 * Azure Table Storage by connection string or by endpoint and managed identity, never both (which
 * one would be used is not for the reader to guess). The endpoint is the table service's https
 * address: a bearer token is never sent over plain http, and a query (a SAS) is no identity (nor
 * is it quoted back: it may be a secret).
 */
function storageProblems(c: RawConfig): FieldIssue[] {
  const problems: FieldIssue[] = [];
  if (c.AZURE_TABLES_CONNECTION_STRING && c.AZURE_TABLES_ENDPOINT) {
    problems.push({ path: 'AZURE_TABLES_ENDPOINT', key: 'config.issue.tablesBoth', params: {} });
  }
  if (c.AZURE_TABLES_ENDPOINT && !isTableEndpoint(c.AZURE_TABLES_ENDPOINT)) {
    problems.push({ path: 'AZURE_TABLES_ENDPOINT', key: 'config.issue.tablesEndpoint', params: {} });
  }
  if (c.AZURE_CLIENT_ID && !GUID.test(c.AZURE_CLIENT_ID)) {
    problems.push({ path: 'AZURE_CLIENT_ID', key: 'config.issue.clientId', params: { value: c.AZURE_CLIENT_ID } });
  }
  return problems;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The exporters' destinations. The connection string is never quoted back (it holds the
 * instrumentation key); neither is an endpoint with a query (it may carry a token).
 */
function telemetryProblems(c: RawConfig): FieldIssue[] {
  const problems: FieldIssue[] = [];
  if (c.OTEL_EXPORTER_OTLP_ENDPOINT && !isHttpEndpoint(c.OTEL_EXPORTER_OTLP_ENDPOINT)) {
    problems.push({ path: 'OTEL_EXPORTER_OTLP_ENDPOINT', key: 'config.issue.otlpEndpoint', params: {} });
  }
  if (
    c.APPLICATIONINSIGHTS_CONNECTION_STRING &&
    !/(^|;)\s*InstrumentationKey\s*=\s*[^;\s]+/i.test(c.APPLICATIONINSIGHTS_CONNECTION_STRING)
  ) {
    problems.push({ path: 'APPLICATIONINSIGHTS_CONNECTION_STRING', key: 'config.issue.appInsights', params: {} });
  }
  return problems;
}

function isHttpEndpoint(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.search === '' && url.hash === '';
  } catch {
    return false;
  }
}

function isTableEndpoint(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      url.protocol === 'https:' && url.username === '' && url.password === '' && url.search === '' && url.hash === ''
    );
  } catch {
    return false;
  }
}

export function loadConfig(env: Record<string, string | undefined> = readEnvironment()): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(zodFieldIssues(parsed.error, env));
  }
  const c = parsed.data;
  const problems: FieldIssue[] = [...authProblems(c), ...storageProblems(c), ...telemetryProblems(c)];
  if (problems.length > 0) throw new ConfigError(problems);

  // A single-tenant registration and a managed identity belong to one tenant: only it, unless listed.
  const ownTenantOnly = c.MICROSOFT_APP_TYPE === 'SingleTenant' || c.MICROSOFT_APP_TYPE === 'UserAssignedMSI';
  const allowedTenants =
    c.ALLOWED_TENANTS.length > 0
      ? c.ALLOWED_TENANTS
      : ownTenantOnly && c.MICROSOFT_APP_TENANT_ID
        ? [c.MICROSOFT_APP_TENANT_ID]
        : [];

  return deepFreeze<Config>({
    port: c.PORT,
    host: c.HOST ?? (c.MICROSOFT_APP_ID ? '0.0.0.0' : '127.0.0.1'),
    logLevel: c.LOG_LEVEL,
    logFormat: c.LOG_FORMAT,
    // Read by Node.js libraries too; not one of the bot's own settings (not in CONFIG_VARIABLES).
    production: (env.NODE_ENV ?? '').trim() === 'production',
    telemetry: {
      otlpEndpoint: c.OTEL_EXPORTER_OTLP_ENDPOINT,
      serviceName: c.OTEL_SERVICE_NAME ?? 'kraftsamla',
      appInsightsConnectionString: c.APPLICATIONINSIGHTS_CONNECTION_STRING,
    },
    auth: {
      appId: c.MICROSOFT_APP_ID,
      appPassword: c.MICROSOFT_APP_PASSWORD,
      appType: c.MICROSOFT_APP_TYPE,
      tenantId: c.MICROSOFT_APP_TENANT_ID,
      openIdMetadata: c.BOT_OPENID_METADATA,
      tokenIssuer: c.BOT_TOKEN_ISSUER,
      allowedTenants,
      tab: {
        openIdMetadata:
          c.TAB_OPENID_METADATA ?? 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
        tokenIssuer: c.TAB_TOKEN_ISSUER ?? 'https://login.microsoftonline.com/{tenantid}/v2.0',
        appId: c.TAB_APP_ID ?? c.MICROSOFT_APP_ID,
        appIdUri: c.TAB_APP_ID_URI,
      },
    },
    storage: {
      connectionString: c.AZURE_TABLES_CONNECTION_STRING,
      endpoint: c.AZURE_TABLES_ENDPOINT,
      clientId: c.AZURE_CLIENT_ID,
      tablePrefix: c.TABLE_PREFIX,
      dataDir: path.resolve(c.DATA_DIR),
      azuriteInMemory: c.AZURITE_IN_MEMORY,
    },
    program: {
      file: c.PROGRAM_FILE,
      steeringMembers: c.STEERING_MEMBERS,
      admins: c.PROGRAM_ADMINS,
    },
    scheduler: { enabled: c.SCHEDULER_ENABLED, tickSeconds: c.SCHEDULER_TICK_SECONDS },
    ai: {
      openAiKey: c.OPENAI_API_KEY,
      openAiBaseUrl: c.OPENAI_BASE_URL,
      model: c.OPENAI_MODEL,
      azureKey: c.AZURE_OPENAI_API_KEY,
      azureEndpoint: c.AZURE_OPENAI_ENDPOINT,
      azureDeployment: c.AZURE_OPENAI_DEPLOYMENT,
    },
  });
}
