/**
 * Entry point: config → telemetry (only when an exporter is configured) → program → storage
 * (Azure, or the embedded Azurite child process) → adapter and app → HTTP server. Stops everything cleanly on SIGINT, SIGTERM or SIGHUP (once;
 * later signals are logged and ignored): the server closes, background work drains, then the
 * store stops (the embedded Azurite saves) and the data folder's lock is released, and the last
 * traces and metrics are exported. A start that fails stops whatever it had started.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Server } from 'restify';
import { loadConfig, type Config } from '../config/config';
import type { Logger } from '../domain/ports';
import { loadProgram, programWithStoredTeams } from '../domain/program';
import { systemClock, type Clock } from '../domain/time';
import { t } from '../domain/i18n';
import { azuriteInfoFile as infoFileOf, openStorage, type OpenedStorage } from '../storage';
import { AzuriteNotInstalledError } from '../storage/azurite';
import { DataDirLockedError } from '../storage/data-dir-lock';
import { BackgroundTasks, InstanceRegistry, RateLimiter, Scheduler } from '../domain/delivery';
import { TableJobRunRepository, TableLeaseRepository } from '../storage/jobs.repository';
import { TableInstanceRepository } from '../storage/instance.repository';
import { createAdapter } from './adapter';
import type { BotDeps } from './deps';
import { BotMessenger } from './messenger';
import { createApp } from './app';
import type { Telemetry } from '../domain/telemetry';
import { chooseLogFormat, createLogger } from './logger';
import { createServer } from './server';
import { registerTab } from './tab';
import { TabAuthenticator } from './tab-auth';
import { OverviewService } from '../domain/overview';
import { loadTelemetry } from './telemetry';

export interface RunningBot {
  server: Server;
  storage: OpenedStorage;
  port: number;
  deps: BotDeps;
  scheduler: Scheduler;
  /** This instance's heartbeat: its share of the app's send limits. */
  instances: InstanceRegistry;
  stop(): Promise<void>;
}

/**
 * The tab's sign-in: Teams SSO tokens for the bot's app id, from the program's tenants (those the
 * bot accepts, else its own); with neither known, nobody (a multi-tenant bot names its tenants
 * in ALLOWED_TENANTS to open the tab).
 */
function tabAuthenticator(config: Config, logger: Logger): TabAuthenticator {
  const tenants = config.auth.allowedTenants.length
    ? config.auth.allowedTenants
    : config.auth.tenantId
      ? [config.auth.tenantId]
      : [];
  if (tenants.length === 0)
    logger.warn({}, 'the tab shows nothing: no tenant is named (set ALLOWED_TENANTS or MICROSOFT_APP_TENANT_ID)');
  return new TabAuthenticator({
    appId: config.auth.tab.appId ?? '',
    appIdUri: config.auth.tab.appIdUri,
    openIdMetadata: config.auth.tab.openIdMetadata,
    tokenIssuer: config.auth.tab.tokenIssuer,
    tenants,
    logger: logger.child({ component: 'tab-auth' }),
  });
}

function packageVersion(): string {
  for (const candidate of [
    path.join(__dirname, '..', 'package.json'),
    path.join(__dirname, '..', '..', 'package.json'),
  ]) {
    if (fs.existsSync(candidate))
      return (JSON.parse(fs.readFileSync(candidate, 'utf8')) as { version: string }).version;
  }
  return '0.0.0';
}

/** Where a running bot tells other local tools (import, export) which Azurite port it uses. */
export function azuriteInfoFile(config: Config): string {
  return infoFileOf(config.storage.dataDir);
}

/** A refused second start, in both languages (no user's language is known here). */
export function dataDirLockedMessage(err: DataDirLockedError): string {
  const params = {
    dir: err.dataDir,
    pid: err.holder.pid,
    command: err.holder.command,
    startedAt: err.holder.startedAt,
  };
  return `${t('sv-SE', 'start.dataDirLocked', params)}\n${t('en-US', 'start.dataDirLocked', params)}`;
}

/** No store configured and no Azurite to embed (a production install), in both languages. */
export function noStorageMessage(): string {
  return `${t('sv-SE', 'start.noStorage')}\n${t('en-US', 'start.noStorage')}`;
}

/** The logger of the running bot: stdout, in the configured format or the one that suits it. */
export function botLogger(config: Config): Logger {
  return createLogger(
    config.logLevel,
    undefined,
    chooseLogFormat(config.logFormat, { production: config.production, isTTY: process.stdout.isTTY === true }),
  );
}

export async function startBot(
  config: Config,
  options: { logger?: Logger; clock?: Clock; telemetry?: Telemetry } = {},
): Promise<RunningBot> {
  const logger = options.logger ?? botLogger(config);
  const clock = options.clock ?? systemClock;
  const program = loadProgram(config.program.file, {
    steeringMembers: config.program.steeringMembers,
    admins: config.program.admins,
  });
  const telemetry =
    options.telemetry ??
    (await loadTelemetry(config.telemetry, {
      logger: logger.child({ component: 'telemetry' }),
      version: packageVersion(),
    }));
  let storage: OpenedStorage;
  try {
    storage = await openStorage(config.storage, program.timezone, {
      logger: logger.child({ component: 'storage' }),
      announce: true,
      telemetry,
    });
  } catch (err) {
    await telemetry.shutdown();
    throw err;
  }
  if (storage.stoppedOrphan) logger.warn({}, 'stopped an embedded Azurite left running by a previous bot process');
  try {
    // Teams made from a plan's areas by an import (`--create-teams`) join the configured ones.
    return await startOn(
      storage,
      config,
      await programWithStoredTeams(program, storage.repositories.programTeams),
      logger,
      clock,
      telemetry,
    );
  } catch (err) {
    // Port taken, a bad setting found late: stop the store this start began, release the lock.
    await storage.close();
    await telemetry.shutdown();
    throw err;
  }
}

async function startOn(
  storage: OpenedStorage,
  config: Config,
  program: ReturnType<typeof loadProgram>,
  logger: Logger,
  clock: Clock,
  telemetry: Telemetry,
): Promise<RunningBot> {
  logger.info(
    { mode: storage.mode, port: storage.azurite?.port, dataDir: storage.azurite ? config.storage.dataDir : undefined },
    'storage ready',
  );

  const instanceId = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  // Real time, not `clock`: heartbeats are compared across hosts and the limits are Teams' seconds.
  const instances = new InstanceRegistry({
    repository: new TableInstanceRepository(storage.store),
    instanceId,
    logger: logger.child({ component: 'instances' }),
  });
  await instances.start();
  const limiter = new RateLimiter({ share: () => instances.share(), notBefore: () => instances.readyAt() });
  const adapter = createAdapter(config, { limiter, logger, telemetry });
  const messenger = new BotMessenger(adapter, config.auth.appId ?? '', undefined, limiter);
  const scheduler = new Scheduler({
    clock,
    timeZone: program.timezone,
    leases: new TableLeaseRepository(storage.store, program.id),
    runs: new TableJobRunRepository(storage.store, program.id),
    logger: logger.child({ component: 'scheduler' }),
    instanceId,
  });
  const background = new BackgroundTasks(logger.child({ component: 'background' }));
  const deps: BotDeps = {
    config,
    program,
    repos: storage.repositories,
    clock,
    logger,
    messenger,
    scheduler,
    background,
    telemetry,
  };
  const app = createApp(adapter, deps);
  const server = createServer({
    adapter,
    app,
    repos: storage.repositories,
    logger,
    version: packageVersion(),
    storageMode: storage.mode,
    telemetry,
  });
  registerTab(server, {
    program,
    overview: new OverviewService({ program, repos: storage.repositories }),
    repos: storage.repositories,
    logger: logger.child({ component: 'tab' }),
    version: packageVersion(),
    now: () => clock.now(),
    ...(config.auth.appId ? { auth: tabAuthenticator(config, logger) } : {}),
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
  } catch (err) {
    await background.drain();
    throw err;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info(
    {
      port,
      endpoint: `http://localhost:${port}/api/messages`,
      auth: config.auth.appId ? 'bot-framework' : 'anonymous',
    },
    'Kraftsamla is listening',
  );

  if (config.scheduler.enabled) scheduler.start(config.scheduler.tickSeconds * 1000);

  let stopped = false;
  return {
    server,
    storage,
    port,
    deps,
    scheduler,
    instances,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await scheduler.stop();
      await background.drain();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await instances.stop();
      // The embedded Azurite saves and stops, azurite.json goes, the lock is released.
      await storage.close();
      // Last: what the stop itself recorded is exported too.
      await telemetry.shutdown();
      logger.info({}, 'stopped');
    },
  };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
  const logger = botLogger(config);
  // Listening from the start: a signal while the bot starts up stops it once it is up.
  let stopping: string | undefined;
  let bot: RunningBot | undefined;
  const shutdown = (signal: string) => {
    if (stopping) {
      logger.info({ signal, stopping }, 'already shutting down; signal ignored');
      return;
    }
    stopping = signal;
    logger.info({ signal }, 'shutting down');
    if (!bot) return; // still starting: stopped below once it is up
    // Past this, the process goes without saving; the embedded Azurite, in its own process
    // group, still finishes its save when it notices its parent is gone.
    const force = setTimeout(() => process.exit(1), 30000);
    force.unref();
    bot.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => shutdown(signal));
  try {
    bot = await startBot(config, { logger });
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      process.stderr.write(`${dataDirLockedMessage(err)}\n`);
      logger.error({ dataDir: err.dataDir, holder: err.holder.pid }, 'could not start: the data folder is in use');
    } else if (err instanceof AzuriteNotInstalledError) {
      process.stderr.write(`${noStorageMessage()}\n`);
      logger.error({ code: err.code }, 'could not start: no storage configured and Azurite is not installed');
    } else {
      logger.error({ err: { message: (err as Error).message } }, 'could not start');
    }
    process.exit(1);
  }
  if (stopping) {
    const signal = stopping;
    stopping = undefined;
    shutdown(signal);
  }
}

if (require.main === module) {
  void main();
}
