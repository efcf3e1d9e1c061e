/**
 * Table Storage transactions (`$batch`) for the group commits of coalesce.ts, written here rather
 * than by the SDK's `submitTransaction`. The SDK makes a new TableClient (with an HTTP pipeline
 * of its own) for every transaction and runs each operation through that pipeline only to write
 * its part of the body: most of the bot's own CPU for a check-in answer's writes went there.
 *
 * The body is the one the SDK writes (test/storage/transaction.test.ts compares them) and the
 * request goes through the table client's own pipeline, so it is signed, retried, watched by
 * the health policy and traced exactly as the SDK's would be; the answer is read as the SDK
 * reads it, and a refused operation fails the whole transaction with the same RestError
 * (status and code of the operation that failed).
 *
 * Only what the group commits send: creates and replacing updates of entities whose values are
 * strings, numbers or booleans, on an account URL without a SAS, not Cosmos DB. Anything else is
 * handed to the SDK's `submitTransaction` unchanged.
 */
import { randomUUID } from 'node:crypto';
import { RestError, type TableClient, type TableTransactionResponse, type TransactionAction } from '@azure/data-tables';
import {
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineRequest,
  type HttpClient,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';

const CRLF = '\r\n';

let httpClient: HttpClient | undefined;

/** Properties the SDK writes under the service's names (its serialize()). */
const SERVICE_NAMES: Record<string, string> = {
  partitionKey: 'PartitionKey',
  rowKey: 'RowKey',
  etag: 'odata.etag',
  timestamp: 'Timestamp',
};

/** Whether the transaction can be written here (see the top of this file). */
function writable(client: TableClient, actions: readonly TransactionAction[]): boolean {
  if (actions.length === 0 || client.url.includes('?')) return false;
  const url = new URL(client.url);
  const host = url.hostname.toLowerCase();
  if (host.includes('.cosmos')) return false;
  // The SDK takes `localhost` outside Azurite's account path for the Cosmos DB emulator.
  if (host === 'localhost' && !url.pathname.startsWith('/devstoreaccount1')) return false;
  return actions.every((action) => {
    const [kind, entity] = action;
    if (kind === 'update') {
      if ((action[2] ?? 'Merge') !== 'Replace') return false;
    } else if (kind !== 'create') return false;
    return Object.values(entity).every(
      (v) => v === undefined || v === null || ['string', 'number', 'boolean'].includes(typeof v),
    );
  });
}

/** The entity as the SDK serialises it: the keys under their service names, in the same order. */
function entityJson(entity: Record<string, unknown>): string {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(entity)) out[SERVICE_NAMES[name] ?? name] = value;
  return JSON.stringify(out);
}

/** `'` doubled (OData), then encoded as a URL path segment, as the SDK addresses a row. */
function keyInUrl(key: string): string {
  return encodeURIComponent(key.replace(/'/g, "''"));
}

function part(changeset: string, lines: string[], body: string): string {
  return [
    `--changeset_${changeset}`,
    'content-type: application/http',
    'content-transfer-encoding: binary',
    '',
    ...lines,
    CRLF,
    body,
  ].join(CRLF);
}

/** The multipart body of one changeset holding `actions`, as the SDK writes it. */
export function transactionBody(
  client: Pick<TableClient, 'url' | 'tableName'>,
  actions: readonly TransactionAction[],
  ids: { batch: string; changeset: string },
): string {
  const base = client.url.endsWith('/') ? client.url : `${client.url}/`;
  const table = `${base}${encodeURIComponent(client.tableName)}`;
  const parts = [
    `--batch_${ids.batch}${CRLF}content-type: multipart/mixed; boundary=changeset_${ids.changeset}${CRLF}${CRLF}`,
  ];
  for (const action of actions) {
    const entity = action[1] as Record<string, unknown> & { partitionKey: string; rowKey: string };
    if (action[0] === 'create') {
      parts.push(
        part(
          ids.changeset,
          [
            `POST ${new URL(table).toString()} HTTP/1.1`,
            'Content-Type: application/json;odata=nometadata',
            'Accept: application/json;odata=minimalmetadata',
            'DataServiceVersion: 3.0',
            'Prefer: return-no-content',
          ],
          entityJson(entity),
        ),
      );
    } else {
      const options = (action[0] === 'update' ? action[3] : undefined) ?? {};
      const row = `${table}(PartitionKey='${keyInUrl(entity.partitionKey)}',RowKey='${keyInUrl(entity.rowKey)}')`;
      parts.push(
        part(
          ids.changeset,
          [
            `PUT ${new URL(row).toString()} HTTP/1.1`,
            'Content-Type: application/json',
            'DataServiceVersion: 3.0',
            'Accept: application/json',
            `If-Match: ${options.etag ?? '*'}`,
          ],
          entityJson(entity),
        ),
      );
    }
  }
  return `${parts.join(CRLF)}${CRLF}--changeset_${ids.changeset}--${CRLF}--batch_${ids.batch}--${CRLF}`;
}

/** The service's error (`odata.error`) as the SDK reports it: message, code, status. */
function failure(text: string, status: number, response: PipelineResponse): RestError {
  let parsed: { 'odata.error'?: { code?: string; message?: { value?: string } } } = {};
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    // not JSON: the status alone
  }
  const error = parsed?.['odata.error'];
  return new RestError(error?.message?.value ?? 'Transaction Failed', {
    code: error?.code,
    statusCode: status,
    request: response.request,
    response,
  });
}

/** The answer to a transaction, read as the SDK reads it (parseTransactionResponse). */
export function readTransactionResponse(response: PipelineResponse): TableTransactionResponse {
  const text = response.bodyAsText ?? '';
  if (response.status < 200 || response.status >= 300) throw failure(text, response.status, response);
  const subResponses = text
    .split('--changesetresponse_')
    .slice(1, -1)
    .map((sub) => {
      const status = Number.parseInt(/HTTP\/1.1 ([0-9]*)/.exec(sub)?.[1] ?? '', 10);
      if (!Number.isInteger(status)) throw new Error(`Couldn't extract status from sub-response:\n ${sub}`);
      const body = /\{(.*)\}/.exec(sub);
      // The SDK fails on an operation's error body; a refusal without one fails here too.
      if (body || status >= 400) throw failure(body?.[0] ?? '', status, response);
      const etag = /ETag: (.*)/.exec(sub)?.[1];
      const rowKey = /RowKey='(.*)'/.exec(sub)?.[1];
      return { status, ...(rowKey !== undefined ? { rowKey } : {}), ...(etag !== undefined ? { etag } : {}) };
    });
  return {
    status: response.status,
    subResponses,
    getResponseForEntity: (rowKey: string) => subResponses.find((r) => r.rowKey === rowKey),
  };
}

/**
 * Submits `actions` (one partition) as one atomic transaction through `client`'s pipeline, or
 * through the SDK when they are not what this file writes.
 */
export async function submitTransaction(
  client: TableClient,
  actions: TransactionAction[],
  options: { allowInsecureConnection: boolean },
): Promise<TableTransactionResponse> {
  if (!writable(client, actions)) return client.submitTransaction(actions);
  const partitionKey = (actions[0]![1] as { partitionKey: string }).partitionKey;
  if (actions.some((a) => (a[1] as { partitionKey: string }).partitionKey !== partitionKey))
    throw new Error('All operations in a transaction must target the same partitionKey');
  const ids = { batch: randomUUID(), changeset: randomUUID() };
  const base = client.url.endsWith('/') ? client.url : `${client.url}/`;
  const request = createPipelineRequest({
    url: `${base}$batch`,
    method: 'POST',
    body: transactionBody(client, actions, ids),
    headers: createHttpHeaders({
      accept: 'application/json',
      'x-ms-version': '2019-02-02',
      DataServiceVersion: '3.0;',
      MaxDataServiceVersion: '3.0;NetFx',
      'Content-Type': `multipart/mixed; boundary=batch_${ids.batch}`,
      'Accept-Charset': 'UTF-8',
      Connection: 'Keep-Alive',
    }),
    allowInsecureConnection: options.allowInsecureConnection,
  });
  httpClient ??= createDefaultHttpClient();
  return readTransactionResponse(await client.pipeline.sendRequest(httpClient, request));
}
