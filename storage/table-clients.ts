/**
 * The SDK's clients for one storage account, by connection string or by endpoint and a token
 * credential, as storage/table-store.ts builds every one of them.
 */
import { TableClient, TableServiceClient, type TableServiceClientOptions } from '@azure/data-tables';
import { tracingPolicyName } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';

/** How the store reaches its account: a connection string (a key or a SAS inside it), or an identity. */
export type TableAccount =
  | { connectionString: string; endpoint?: undefined; credential?: undefined }
  | {
      connectionString?: undefined;
      /** The table service's address, e.g. `https://acct.table.core.windows.net`. */
      endpoint: string;
      /** Signs every request with a bearer token (a managed identity in Azure). */
      credential: TokenCredential;
    };

/**
 * The SDK's own tracing policy is left out of every client: it makes a span per request through
 * @azure/core-tracing, which records nothing unless an Azure SDK instrumenter is registered
 * globally, and nothing here registers one (bot/telemetry.ts registers nothing globally; the
 * store's spans come from a policy of table-store.ts). It cost about 1 % of the bot's CPU per answer.
 */
function withoutSdkTracing<T extends { pipeline: { removePolicy(o: { name: string }): unknown } }>(client: T): T {
  client.pipeline.removePolicy({ name: tracingPolicyName });
  return client;
}

/** A client for one table, by connection string or by endpoint and credential. */
export function tableClient(account: TableAccount, table: string, options: TableServiceClientOptions): TableClient {
  return withoutSdkTracing(
    account.connectionString !== undefined
      ? TableClient.fromConnectionString(account.connectionString, table, options)
      : new TableClient(account.endpoint, table, account.credential, options),
  );
}

export function serviceClient(account: TableAccount, options: TableServiceClientOptions): TableServiceClient {
  return withoutSdkTracing(
    account.connectionString !== undefined
      ? TableServiceClient.fromConnectionString(account.connectionString, options)
      : new TableServiceClient(account.endpoint, account.credential, options),
  );
}
