/**
 * Shared pieces of the trust tests: a log capture (the bot's real pino logger writing to memory)
 * and the seeded outgoing Bot Framework token.
 */
import { Writable } from 'node:stream';
import { AppCredentials, AuthenticationConstants } from 'botframework-connector';
import { createLogger } from '../../bot/logger';
import type { Logger } from '../../domain/ports';

export interface LogCapture {
  logger: Logger;
  /** Every line written so far (JSON, one record a line). */
  lines: string[];
  records(): Array<Record<string, unknown> & { msg?: string; level: number }>;
  text(): string;
}

export function captureLogs(level = 'debug'): LogCapture {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((l) => l.length > 0),
      );
      callback();
    },
  });
  return {
    logger: createLogger(level, stream),
    lines,
    records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown> & { level: number }),
    text: () => lines.join('\n'),
  };
}

/**
 * With an app id the bot authenticates its own calls to the Bot Connector with a token from
 * Microsoft Entra (MSAL, login.microsoftonline.com), which a test cannot reach. botframework-
 * connector keeps those tokens in a process-wide cache keyed by app id and scope
 * (`AppCredentials.cache`, checked before MSAL is asked); seeding it lets the bot answer through
 * the connector double with `outgoingToken`, which the double then records.
 */
export function seedOutgoingToken(appId: string, outgoingToken: string): void {
  const cache = (AppCredentials as unknown as { cache: Map<string, { accessToken: string; expiresOn: Date }> }).cache;
  cache.set(`${appId}${AuthenticationConstants.ToChannelFromBotOAuthScope}-cache`, {
    accessToken: outgoingToken,
    expiresOn: new Date(Date.now() + 3_600_000),
  });
}
