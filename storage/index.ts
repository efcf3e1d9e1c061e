/**
 * Opens the store: Azure Table Storage when a connection string or an endpoint (reached with a
 * managed identity) is configured, otherwise the embedded Azurite child process. Returns the
 * domain repositories and a `close()`. Azurite is a development dependency: without it (a
 * production install) and with no store configured, this fails with AzuriteNotInstalledError and
 * touches nothing.
 *
 * The embedded store on disk is one process's at a time: the data folder's lock is taken before
 * anything starts (data-dir-lock.ts), an Azurite a dead holder left behind is stopped (it saves),
 * and whatever this call started is stopped again, and the lock released, when it fails.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger, Repositories } from '../domain/ports';
import type { Telemetry } from '../domain/telemetry';
import { TableActionRepository } from './actions.repository';
import { assertAzuriteInstalled, startAzurite, stopOrphanedAzurite, type AzuriteHandle } from './azurite';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock';
import { TableCheckInRepository } from './checkin.repository';
import { TableDecisionRepository } from './decisions.repository';
import { TableEventLog } from './event-log.repository';
import { TableIndicatorRepository } from './indicator.repository';
import { TableMeetingRepository } from './meetings.repository';
import { TableProgramTeamRepository } from './program-team.repository';
import { TableDeliveryRepository } from './jobs.repository';
import { TableAdminRepository } from './roles.repository';
import type { TokenCredential } from '@azure/identity';
import { TableStore, type TableAccount, type TableAuth, type TableStoreOptions } from './table-store';
import { TableChannelBindingRepository, TableInstalledTeamRepository } from './team.repository';
import { TablePlanUploadRepository } from './upload.repository';

export interface StorageSettings {
  connectionString?: string;
  /** Table service endpoint reached with `DefaultAzureCredential` (a managed identity in Azure). */
  endpoint?: string;
  /** Client id of the user-assigned managed identity for `endpoint`. */
  clientId?: string;
  tablePrefix: string;
  dataDir: string;
  azuriteInMemory: boolean;
}

export interface OpenedStorage {
  repositories: Repositories;
  store: TableStore;
  /** Set when the embedded Azurite was started for us. */
  azurite?: AzuriteHandle;
  mode: 'azure' | 'embedded';
  /** How the store signs in: `connection-string` (the embedded Azurite too) or `managed-identity`. */
  auth: TableAuth;
  /** Whether an Azurite left running by a process that died was stopped first. */
  stoppedOrphan: boolean;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Hears about the embedded Azurite dying and being started again. */
  logger?: Logger;
  /**
   * Write `DATA_DIR/azurite.json` (port and pids) while the embedded Azurite runs, so the CLIs
   * use it instead of starting their own; the bot does, a CLI does not.
   */
  announce?: boolean;
  /** The credential for `settings.endpoint`; by default `DefaultAzureCredential` (tests give their own). */
  credential?: TokenCredential;
  /** Pipeline policies for every client of the store (TableStoreOptions.additionalPolicies). */
  additionalPolicies?: TableStoreOptions['additionalPolicies'];
  /** A span and a latency measurement per store operation (TableStoreOptions.telemetry). */
  telemetry?: Telemetry;
}

/** Whether the settings name an Azure account (else the embedded Azurite is started). */
export function usesAzure(settings: Pick<StorageSettings, 'connectionString' | 'endpoint'>): boolean {
  return Boolean(settings.connectionString || settings.endpoint);
}

/**
 * The managed identity's credential: `DefaultAzureCredential`, pinned to the user-assigned
 * identity when its client id is given (else the credential's own choice: a system-assigned
 * identity, or a developer's `az login`). Loaded only when needed: @azure/identity is large.
 */
async function defaultCredential(clientId: string | undefined): Promise<TokenCredential> {
  const { DefaultAzureCredential } = await import('@azure/identity');
  return clientId ? new DefaultAzureCredential({ managedIdentityClientId: clientId }) : new DefaultAzureCredential();
}

/** Where a running bot tells other local tools (import, export) which Azurite port it uses. */
export function azuriteInfoFile(dataDir: string): string {
  return path.join(path.resolve(dataDir), 'azurite.json');
}

export function createRepositories(store: TableStore, timeZone: string): Repositories {
  return {
    teams: new TableInstalledTeamRepository(store),
    bindings: new TableChannelBindingRepository(store),
    actions: new TableActionRepository(store),
    events: new TableEventLog(store, timeZone),
    decisions: new TableDecisionRepository(store),
    indicators: new TableIndicatorRepository(store),
    checkIns: new TableCheckInRepository(store),
    deliveries: new TableDeliveryRepository(store),
    admins: new TableAdminRepository(store),
    programTeams: new TableProgramTeamRepository(store),
    uploads: new TablePlanUploadRepository(store),
    meetings: new TableMeetingRepository(store),
    ping: () => store.ping(),
  };
}

export async function openStorage(
  settings: StorageSettings,
  timeZone: string,
  options: OpenOptions = {},
): Promise<OpenedStorage> {
  // No store configured and no Azurite to embed (a production install): say so before the data
  // folder is locked or created (AzuriteNotInstalledError).
  if (!usesAzure(settings)) assertAzuriteInstalled();
  const onDisk = !usesAzure(settings) && !settings.azuriteInMemory;
  const infoFile = azuriteInfoFile(settings.dataDir);
  const logger = options.logger;
  // Before anything is started: a second process on this folder is refused here (DataDirLockedError).
  const lock: DataDirLock | undefined = onDisk ? acquireDataDirLock(settings.dataDir) : undefined;
  let azurite: AzuriteHandle | undefined;
  let store: TableStore | undefined;
  let announced = false;
  const announce = () => {
    if (!options.announce || !azurite || !onDisk) return;
    fs.writeFileSync(infoFile, JSON.stringify({ port: azurite.port, pid: process.pid, azuritePid: azurite.pid }));
    announced = true;
  };
  const release = async () => {
    store?.close();
    await azurite?.stop();
    if (announced) fs.rmSync(infoFile, { force: true });
    lock?.release();
  };
  try {
    let account: TableAccount | undefined;
    if (settings.endpoint) {
      account = {
        endpoint: settings.endpoint,
        credential: options.credential ?? (await defaultCredential(settings.clientId)),
      };
    } else if (settings.connectionString) {
      account = { connectionString: settings.connectionString };
    }
    let stoppedOrphan = false;
    if (!account) {
      stoppedOrphan = onDisk && (await stopOrphanedAzurite(infoFile));
      azurite = await startAzurite({
        dataDir: settings.dataDir,
        inMemory: settings.azuriteInMemory,
        // In memory a restarted Azurite would come back empty: only the store on disk is restarted.
        restart: onDisk
          ? {
              allowed: () => lock?.held() ?? false,
              onExit: ({ code, signal, pid }) =>
                logger?.error(
                  { code, signal, pid, port: azurite?.port },
                  'the embedded Azurite stopped unexpectedly; starting it again',
                ),
              onRestarted: ({ pid }) => {
                announce();
                logger?.warn({ pid, port: azurite?.port }, 'the embedded Azurite was started again with its data');
              },
              onFailed: ({ attempt, reason }) =>
                logger?.error({ attempt, reason }, 'the embedded Azurite could not be started again; trying again'),
            }
          : undefined,
      });
      account = { connectionString: azurite.connectionString };
    }
    store = new TableStore({
      ...account,
      tablePrefix: settings.tablePrefix,
      additionalPolicies: options.additionalPolicies,
      telemetry: options.telemetry,
      health: {
        onChange: (stalled) =>
          stalled
            ? logger?.error({}, 'storage does not answer: requests fail fast until it does')
            : logger?.warn({}, 'storage answers again'),
      },
    });
    if (!azurite) {
      // Which account and how it signs in; never the connection string or a token.
      logger?.info(
        {
          mode: 'azure',
          auth: store.auth,
          endpoint: store.endpoint,
          clientId: settings.endpoint ? settings.clientId : undefined,
        },
        store.auth === 'managed-identity'
          ? 'storage: Azure Table Storage with a managed identity'
          : 'storage: Azure Table Storage with a connection string',
      );
    }
    await store.ensureTables();
    announce();
    const opened = store;
    return {
      repositories: createRepositories(opened, timeZone),
      store: opened,
      azurite,
      mode: azurite ? 'embedded' : 'azure',
      auth: opened.auth,
      stoppedOrphan,
      close: release,
    };
  } catch (err) {
    await release();
    throw err;
  }
}
