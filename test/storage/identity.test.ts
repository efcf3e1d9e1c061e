/**
 * The store reached by endpoint and a token credential (a managed identity in Azure) instead of a
 * connection string. The SDK sends a bearer token only over https (core-rest-pipeline refuses
 * plain http whatever `allowInsecureConnection` says), so both servers here speak https with a
 * certificate made for the test, which the store's clients are told to trust through a pipeline
 * policy:
 * - a small recording server that answers the table API minimally: every request of every client
 *   of the store (service, shared, separate, probe) carries `Authorization: Bearer <the
 *   credential's token>` and no shared key;
 * - Azurite with `--oauth basic` (it checks the token's audience, issuer and lifetime, not its
 *   signature): the whole store opened by `openStorage` works with a token for Azure Storage and
 *   is refused with a token for anything else.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import {
  CredentialUnavailableError,
  type AccessToken,
  type GetTokenOptions,
  type TokenCredential,
} from '@azure/identity';
import { loadConfig } from '../../config/config';
import { openStorage, type OpenedStorage } from '../../storage';
import { freePort } from '../../storage/azurite';
import { TableStore } from '../../storage/table-store';
import { startTestStorage, type TestStorage } from '../support/storage';
import { captureLogs } from '../trust/helpers';

const TENANT = '7e2a9c44-1b3d-4e5f-8a6b-0c1d2e3f4a5b';
const STORAGE_SCOPE = 'https://storage.azure.com/.default';

let tmp: string;
let tls: { key: Buffer; cert: Buffer };

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-identity-'));
  const key = path.join(tmp, 'key.pem');
  const cert = path.join(tmp, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  tls = { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Trusts the test's own certificate, and only it (the connection stays verified). */
function trustTestCertificate(): PipelinePolicy {
  const tlsSettings = { ca: tls.cert.toString('utf8') };
  return {
    name: 'trustTestCertificate',
    sendRequest: (request, next) => {
      request.tlsSettings = tlsSettings;
      return next(request);
    },
  };
}

/** A token credential that hands out `token()` and records which scopes were asked for. */
class RecordingCredential implements TokenCredential {
  readonly asked: string[][] = [];
  constructor(private readonly token: () => string) {}

  async getToken(scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken> {
    this.asked.push([scopes].flat());
    return { token: this.token(), expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

/** A JWT as Entra would issue it for `audience` (unsigned: Azurite's basic check does not verify it). */
function entraToken(audience: string): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ aud: audience, iss: `https://sts.windows.net/${TENANT}/`, iat: now - 60, nbf: now - 60, exp: now + 3600, oid: randomBytes(8).toString('hex') })}.c2ln`;
}

describe('a store by endpoint and token credential, against a recording https server', () => {
  interface Seen {
    method: string;
    url: string;
    authorization?: string;
  }
  let server: https.Server;
  let endpoint: string;
  const seen: Seen[] = [];

  beforeAll(async () => {
    server = https.createServer(tls, (req, res) => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
      req.resume();
      req.on('end', () => {
        const json = { 'content-type': 'application/json;odata=minimalmetadata', 'x-ms-version': '2019-02-02' };
        if (req.method === 'POST' && req.url?.startsWith('/Tables')) {
          res.writeHead(201, json);
          res.end(JSON.stringify({ TableName: 'x' }));
        } else if (req.method === 'GET') {
          res.writeHead(200, json);
          res.end(JSON.stringify({ value: [] }));
        } else {
          res.writeHead(400, json);
          res.end(
            JSON.stringify({ 'odata.error': { code: 'NotAnswered', message: { value: 'not played by this server' } } }),
          );
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('is built with the endpoint and the credential, no connection string: every client’s requests carry the credential’s bearer token', async () => {
    const token = `token-${randomBytes(8).toString('hex')}`;
    const credential = new RecordingCredential(() => token);
    const store = new TableStore({
      endpoint,
      credential,
      tablePrefix: 'mi',
      additionalPolicies: [{ policy: trustTestCertificate(), position: 'perCall' }],
    });
    try {
      expect(store.auth).toBe('managed-identity');
      expect(store.endpoint).toBe(endpoint);
      expect(store.client('teams').url).toBe(endpoint);

      await store.ensureTables(); // the service client
      expect(await store.ping()).toBe(true); // the probe's own client
      await store.client('teams').listEntities().byPage().next(); // a shared table client
      await store.separateClient('events').listEntities().byPage().next(); // a separate one (the backup's)

      const kinds = {
        createTable: seen.filter((s) => s.method === 'POST' && s.url.startsWith('/Tables')).length,
        listTeams: seen.filter((s) => s.method === 'GET' && s.url.startsWith('/miTeams()')).length,
        listEvents: seen.filter((s) => s.method === 'GET' && s.url.startsWith('/miEvents()')).length,
      };
      expect(kinds.createTable).toBeGreaterThanOrEqual(5);
      expect(kinds.listTeams).toBe(2);
      expect(kinds.listEvents).toBe(1);
      expect(seen.filter((s) => s.authorization !== `Bearer ${token}`)).toEqual([]);
      expect(seen.some((s) => /SharedKey/i.test(s.authorization ?? ''))).toBe(false);
      // Asked for Azure Storage's scope, and only for it.
      expect(credential.asked.length).toBeGreaterThanOrEqual(1);
      expect(new Set(credential.asked.flat())).toEqual(new Set([STORAGE_SCOPE]));
    } finally {
      store.close();
    }
  });
});

describe('openStorage by endpoint and managed identity, against Azurite with OAuth', () => {
  let azurite: ChildProcess;
  let endpoint: string;

  beforeAll(async () => {
    const port = await freePort();
    const tableDir = path.join(path.dirname(require.resolve('azurite/package.json')), 'dist', 'src', 'table');
    const key = path.join(tmp, 'azurite-key.pem');
    const cert = path.join(tmp, 'azurite-cert.pem');
    fs.writeFileSync(key, tls.key);
    fs.writeFileSync(cert, tls.cert);
    // Azurite's table server itself (as storage/azurite-launcher.ts runs it: no telemetry, no CLI),
    // over https with OAuth at the basic level. Arguments: host, port, keep-alive, db path, debug
    // log, access log, access log stream, debug file, loose, skipApiVersionCheck, cert, key, pwd,
    // oauth, disableProductStyleUrl, in-memory.
    const script = `
      const path = require('path');
      const dir = ${JSON.stringify(tableDir)};
      const TableServer = require(path.join(dir, 'TableServer')).default;
      const TableConfiguration = require(path.join(dir, 'TableConfiguration')).default;
      const config = new TableConfiguration('127.0.0.1', ${port}, 5, 'identity-test.json', false, false, undefined, undefined, false, true,
        ${JSON.stringify(cert)}, ${JSON.stringify(key)}, '', 'basic', true, true);
      const server = new TableServer(config);
      server.start().then(() => process.stdout.write('ready ' + server.getHttpServerAddress() + '\\n'), (err) => { process.stderr.write(String(err)); process.exit(1); });
      process.on('SIGINT', () => server.close().then(() => process.exit(0)));
    `;
    azurite = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      azurite.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        if (/ready https:/.test(out)) resolve();
      });
      azurite.stderr?.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
      });
      azurite.once('exit', (code) => reject(new Error(`Azurite exited (${code}): ${out}`)));
    });
    endpoint = `https://127.0.0.1:${port}/devstoreaccount1`;
  });

  afterAll(async () => {
    if (azurite.exitCode === null) {
      const exited = new Promise((resolve) => azurite.once('exit', resolve));
      azurite.kill('SIGINT');
      await exited;
    }
  });

  const open = (credential: TokenCredential, logger = captureLogs('info').logger): Promise<OpenedStorage> => {
    const config = loadConfig({
      AZURE_TABLES_ENDPOINT: endpoint,
      AZURE_CLIENT_ID: '5b1f3a3e-8c1d-4f8e-9a51-2f4c6f9d0e11',
      TABLE_PREFIX: `mi${randomBytes(4).toString('hex')}`,
    });
    return openStorage(config.storage, 'Europe/Stockholm', {
      credential,
      logger,
      additionalPolicies: [{ policy: trustTestCertificate(), position: 'perCall' }],
    });
  };

  it('opens as Azure by managed identity, logs how (never the token), and the repositories write and read through it', async () => {
    const token = entraToken('https://storage.azure.com');
    const credential = new RecordingCredential(() => token);
    const logs = captureLogs('info');
    const storage = await open(credential, logs.logger);
    try {
      expect({ mode: storage.mode, auth: storage.auth, azurite: storage.azurite }).toEqual({
        mode: 'azure',
        auth: 'managed-identity',
        azurite: undefined,
      });
      const line = logs.records().find((r) => r.auth !== undefined);
      expect(line).toMatchObject({
        mode: 'azure',
        auth: 'managed-identity',
        endpoint,
        clientId: '5b1f3a3e-8c1d-4f8e-9a51-2f4c6f9d0e11',
      });
      expect(logs.text()).not.toContain(token);

      const binding = {
        programId: 'harnosand',
        channelId: '19:identity@thread.tacv2',
        teamsTeamId: '19:team-identity@thread.tacv2',
        channelName: 'Bostäder',
        role: { kind: 'team' as const, teamKey: 'bostader' },
        reference: { conversation: { id: '19:identity@thread.tacv2' } },
        boundBy: 'admin@harnosand.se',
        boundAt: '2026-03-02T09:00:00.000Z',
      };
      await storage.repositories.bindings.put(binding);
      expect(await storage.repositories.bindings.get('harnosand', binding.channelId)).toMatchObject(binding);
      expect(await storage.store.ping()).toBe(true);
      expect(new Set(credential.asked.flat())).toEqual(new Set([STORAGE_SCOPE]));
    } finally {
      await storage.close();
    }
  });

  it('an identity that gets no token: opening fails naming why, not just "storage unavailable"', async () => {
    const none: TokenCredential = {
      getToken: async () => {
        throw new CredentialUnavailableError('ManagedIdentityCredential: no managed identity endpoint found');
      },
    };
    await expect(open(none)).rejects.toMatchObject({
      code: 'KS_STORAGE_UNAVAILABLE',
      message: expect.stringContaining(
        'no token for the storage account (CredentialUnavailableError: ManagedIdentityCredential: no managed identity endpoint found)',
      ),
    });
  });

  it('a token for another audience is refused by the service: the bearer token is what signs in', async () => {
    await expect(open(new RecordingCredential(() => entraToken('https://management.azure.com')))).rejects.toMatchObject(
      { statusCode: 403 },
    );
  });
});

describe('openStorage by connection string', () => {
  let storage: TestStorage;
  beforeAll(async () => {
    storage = await startTestStorage();
  });
  afterAll(async () => {
    await storage?.stop();
  });

  it('is Azure too, logged as a connection string, never the key', async () => {
    const logs = captureLogs('info');
    const config = loadConfig({
      AZURE_TABLES_CONNECTION_STRING: storage.connectionString,
      TABLE_PREFIX: `cs${randomBytes(4).toString('hex')}`,
    });
    const opened = await openStorage(config.storage, 'Europe/Stockholm', { logger: logs.logger });
    try {
      expect({ mode: opened.mode, auth: opened.auth, azurite: opened.azurite }).toEqual({
        mode: 'azure',
        auth: 'connection-string',
        azurite: undefined,
      });
      expect(logs.records().find((r) => r.auth !== undefined)).toMatchObject({
        mode: 'azure',
        auth: 'connection-string',
        endpoint: `http://127.0.0.1:${storage.azurite.port}/devstoreaccount1`,
      });
      const key = /AccountKey=([^;]+)/.exec(storage.connectionString)?.[1];
      expect(key).toBeDefined();
      expect(logs.text()).not.toContain(key!);
    } finally {
      await opened.close();
    }
  });
});
