/**
 * Starts the real bot (HTTP server, teams-ai app, Azurite child process) inside the test process
 * on a free port, with in-memory Azurite unless a data folder is given.
 */
import { loadConfig } from '../../config/config';
import { startBot, type RunningBot } from '../../bot/index';
import { silentLogger } from '../../bot/logger';
import type { Logger } from '../../domain/ports';
import type { Clock } from '../../domain/time';

export interface TestBot extends RunningBot {
  url: string;
  messagesUrl: string;
}

export async function startTestBot(
  env: Record<string, string | undefined> = {},
  options: { clock?: Clock; logger?: Logger } = {},
): Promise<TestBot> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    AZURITE_IN_MEMORY: 'true',
    SCHEDULER_ENABLED: 'false',
    ...env,
  });
  const bot = await startBot(config, { logger: options.logger ?? silentLogger(), clock: options.clock });
  const url = `http://127.0.0.1:${bot.port}`;
  return { ...bot, url, messagesUrl: `${url}/api/messages` };
}
