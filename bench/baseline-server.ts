/**
 * The round-trip benchmark's baseline: a bare teams-ai `Application` on the same server stack
 * (restify, TeamsAdapter, anonymous) that answers the check-in invoke with a static card and
 * touches no storage. Run as a child process by bench/roundtrip.bench.ts.
 *
 * With `BASELINE_CARD_FILE` it answers with the card in that file instead (the benchmark gives it
 * the bot's refreshed card), so what a card of that size costs the same stack is measured.
 */
import { Application, TeamsAdapter, type TurnState } from '@microsoft/teams-ai';
import * as fs from 'node:fs';
import * as restify from 'restify';
import { loadConfig } from '../config/config';

const config = loadConfig();
const adapter = new TeamsAdapter({} as never);
const app = new Application<TurnState>({
  adapter,
  removeRecipientMention: true,
  startTypingTimer: false,
  longRunningMessages: false,
});
const cardFile = process.env.BASELINE_CARD_FILE;
const STATIC_CARD: unknown = cardFile
  ? JSON.parse(fs.readFileSync(cardFile, 'utf8'))
  : {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'TextBlock', text: 'Tack! BOS-01 är uppdaterad.', wrap: true }],
    };
app.adaptiveCards.actionExecute('checkin.answer', async () => STATIC_CARD as never);

const server = restify.createServer({ name: 'baseline' });
server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false }));
server.post('/api/messages', async (req, res) => {
  await adapter.process(req, res as never, async (context) => {
    await app.run(context);
  });
});
server.get('/healthz', async (_req, res) => {
  res.send(200, { status: 'ok' });
});
server.listen(config.port, config.host);
process.once('SIGINT', () => server.close(() => process.exit(0)));
