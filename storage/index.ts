/**
 * Opens the store: Azure Table Storage when a connection string is configured, otherwise the
 * embedded Azurite child process. Returns the domain repositories and a `close()`.
 */
import type { Repositories } from '../domain/ports';
import { TableActionRepository } from './action.repository';
import { startAzurite, type AzuriteHandle } from './azurite';
import { TableCheckInRepository } from './checkin.repository';
import { TableDecisionRepository } from './decision.repository';
import { TableEventLog } from './event-log.repository';
import { TableIndicatorRepository } from './indicator.repository';
import { TableDeliveryRepository } from './jobs.repository';
import { TableAdminRepository } from './roles.repository';
import { TableStore } from './table-store';
import { TableChannelBindingRepository, TableInstalledTeamRepository } from './team.repository';
import { TablePlanUploadRepository } from './upload.repository';

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
  close(): Promise<void>;
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
    uploads: new TablePlanUploadRepository(store),
    ping: () => store.ping(),
  };
}

export async function openStorage(settings: StorageSettings, timeZone: string): Promise<OpenedStorage> {
  let azurite: AzuriteHandle | undefined;
  let connectionString = settings.connectionString;
  if (!connectionString) {
    azurite = await startAzurite({ dataDir: settings.dataDir, inMemory: settings.azuriteInMemory });
    connectionString = azurite.connectionString;
  }
  try {
    const store = new TableStore({ connectionString, tablePrefix: settings.tablePrefix });
    await store.ensureTables();
    return {
      repositories: createRepositories(store, timeZone),
      store,
      azurite,
      mode: azurite ? 'embedded' : 'azure',
      close: async () => {
        await azurite?.stop();
      },
    };
  } catch (err) {
    await azurite?.stop();
    throw err;
  }
}
