/**
 * Entry point: config → program → storage (Azure, or the embedded Azurite child process) →
 * adapter and app → HTTP server. Stops everything cleanly on SIGINT/SIGTERM.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Server } from 'restify';
import { loadConfig, type Config } from '../config/config';
import type { Logger } from '../domain/ports';
import { loadProgram } from '../domain/program';
import { systemClock, type Clock } from '../domain/time';
import { openStorage, type OpenedStorage } from '../storage';
import { stopOrphanedAzurite } from '../storage/azurite';
import { BackgroundTasks } from '../domain/background';
import { Scheduler } from '../domain/scheduler';
import { TableJobRunRepository, TableLeaseRepository } from '../storage/jobs.repository';
import { InstanceRegistry, RateLimiter } from '../domain/rate-limit';
import { TableInstanceRepository } from '../storage/instance.repository';
import { createAdapter } from './adapter';
import type { BotDeps } from './deps';
import { BotMessenger } from './messenger';
import { createApp } from './app';
import { createLogger } from './logger';
import { createServer } from './server';

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

function packageVersion(): string {
  for (const candidate of [path.join(__dirname, '..', 'package.json'), path.join(__dirname, '..', '..', 'package.json')]) {
    if (fs.existsSync(candidate)) return (JSON.parse(fs.readFileSync(candidate, 'utf8')) as { version: string }).version;
  }
  return '0.0.0';
}

/** Where a running bot tells other local tools (import, export) which Azurite port it uses. */
export function azuriteInfoFile(config: Config): string {
  return path.join(config.storage.dataDir, 'azurite.json');
}

export async function startBot(config: Config, options: { logger?: Logger; clock?: Clock } = {}): Promise<RunningBot> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  const program = loadProgram(config.program.file, { steeringMembers: config.program.steeringMembers, admins: config.program.admins });
  if (!config.storage.connectionString && !config.storage.azuriteInMemory && (await stopOrphanedAzurite(azuriteInfoFile(config)))) {
    logger.warn({}, 'stopped an embedded Azurite left running by a previous bot process');
  }
  const storage = await openStorage(config.storage, program.timezone);
  if (storage.azurite && !config.storage.azuriteInMemory) {
    fs.writeFileSync(azuriteInfoFile(config), JSON.stringify({ port: storage.azurite.port, pid: process.pid, azuritePid: storage.azurite.pid }));
  }
  logger.info({ mode: storage.mode, port: storage.azurite?.port, dataDir: storage.azurite ? config.storage.dataDir : undefined }, 'storage ready');

  const instanceId = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  // Real time, not `clock`: heartbeats are compared across hosts and the limits are Teams' seconds.
  const instances = new InstanceRegistry({ repository: new TableInstanceRepository(storage.store), instanceId, logger: logger.child({ component: 'instances' }) });
  await instances.start();
  const limiter = new RateLimiter({ share: () => instances.share(), notBefore: () => instances.readyAt() });
  const adapter = createAdapter(config, { limiter });
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
  const deps: BotDeps = { config, program, repos: storage.repositories, clock, logger, messenger, scheduler, background };
  const app = createApp(adapter, deps);
  const server = createServer({ adapter, app, repos: storage.repositories, logger, version: packageVersion(), storageMode: storage.mode });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ port, endpoint: `http://localhost:${port}/api/messages`, auth: config.auth.appId ? 'bot-framework' : 'anonymous' }, 'Kraftsamla is listening');

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
      await storage.close();
      if (storage.azurite && !config.storage.azuriteInMemory) fs.rmSync(azuriteInfoFile(config), { force: true });
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
  const logger = createLogger(config.logLevel);
  let bot: RunningBot;
  try {
    bot = await startBot(config, { logger });
  } catch (err) {
    logger.error({ err: { message: (err as Error).message } }, 'could not start');
    process.exit(1);
  }
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10000);
    force.unref();
    bot.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

if (require.main === module) {
  void main();
}
