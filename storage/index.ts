/**
 * Opens the store: Azure Table Storage when a connection string is configured, otherwise the
 * embedded Azurite child process. Returns the domain repositories and a `close()`. Azurite is a
 * development dependency: without it (a production install) and without a connection string,
 * this fails with AzuriteNotInstalledError and touches nothing.
 *
 * The embedded store on disk is one process's at a time: the data folder's lock is taken before
 * anything starts (data-dir-lock.ts), an Azurite a dead holder left behind is stopped (it saves),
 * and whatever this call started is stopped again, and the lock released, when it fails.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger, Repositories } from '../domain/ports';
import { TableActionRepository } from './action.repository';
import { assertAzuriteInstalled, startAzurite, stopOrphanedAzurite, type AzuriteHandle } from './azurite';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock';
import { TableCheckInRepository } from './checkin.repository';
import { TableDecisionRepository } from './decision.repository';
import { TableEventLog } from './event-log.repository';
import { TableIndicatorRepository } from './indicator.repository';
import { TableDeliveryRepository } from './jobs.repository';
import { TableAdminRepository } from './roles.repository';
import { TableStore } from './table-store';
import { TableChannelBindingRepository, TableInstalledTeamRepository } from './team.repository';

export interface StorageSettings {
  connectionString?: string;
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
    ping: () => store.ping(),
  };
}

export async function openStorage(settings: StorageSettings, timeZone: string, options: OpenOptions = {}): Promise<OpenedStorage> {
  // No store configured and no Azurite to embed (a production install): say so before the data
  // folder is locked or created (AzuriteNotInstalledError).
  if (!settings.connectionString) assertAzuriteInstalled();
  const onDisk = !settings.connectionString && !settings.azuriteInMemory;
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
    let connectionString = settings.connectionString;
    let stoppedOrphan = false;
    if (!connectionString) {
      stoppedOrphan = onDisk && (await stopOrphanedAzurite(infoFile));
      azurite = await startAzurite({
        dataDir: settings.dataDir,
        inMemory: settings.azuriteInMemory,
        // In memory a restarted Azurite would come back empty: only the store on disk is restarted.
        restart: onDisk ? {
          allowed: () => lock?.held() ?? false,
          onExit: ({ code, signal, pid }) => logger?.error({ code, signal, pid, port: azurite?.port }, 'the embedded Azurite stopped unexpectedly; starting it again'),
          onRestarted: ({ pid }) => {
            announce();
            logger?.warn({ pid, port: azurite?.port }, 'the embedded Azurite was started again with its data');
          },
          onFailed: ({ attempt, reason }) => logger?.error({ attempt, reason }, 'the embedded Azurite could not be started again; trying again'),
        } : undefined,
      });
      connectionString = azurite.connectionString;
    }
    store = new TableStore({
      connectionString,
      tablePrefix: settings.tablePrefix,
      health: {
        onChange: (stalled) =>
          stalled ? logger?.error({}, 'storage does not answer: requests fail fast until it does') : logger?.warn({}, 'storage answers again'),
      },
    });
    await store.ensureTables();
    announce();
    const opened = store;
    return {
      repositories: createRepositories(opened, timeZone),
      store: opened,
      azurite,
      mode: azurite ? 'embedded' : 'azure',
      stoppedOrphan,
      close: release,
    };
  } catch (err) {
    await release();
    throw err;
  }
}
