/**
 * The proxy between the Agents Playground and the bot records each activity as it arrives, so a
 * test that saw the bot's reply on screen finds the activity that caused it even while the bot
 * is still finishing the turn; `settled()` waits for the bot's answers and their statuses.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startClientProxy, type ClientProxy } from '../../scripts/playground';

let upstream: http.Server;
let proxy: ClientProxy;
let release: (() => void) | undefined;
const bodies: string[] = [];

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('the request did not reach the bot');
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeAll(async () => {
  // A bot that holds its answer to every request until the test releases it.
  upstream = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      release = () => {
        res.writeHead(202);
        res.end();
      };
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const { port } = upstream.address() as AddressInfo;
  proxy = await startClientProxy(`http://127.0.0.1:${port}/api/messages`, { locale: 'sv-SE' });
});

afterAll(async () => {
  await proxy.stop();
  upstream.closeAllConnections();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

it('records an activity before the bot answers it, and settles with the status once it has', async () => {
  const activity = { type: 'message', text: 'hjälp', locale: 'en-US', conversation: { id: 'c1' } };
  const response = fetch(proxy.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  // The bot has the request (with the client's locale rewritten) but has not answered.
  await until(() => release !== undefined);
  expect(JSON.parse(bodies[0]!)).toMatchObject({ text: 'hjälp', locale: 'sv-SE' });
  expect(proxy.received()).toEqual([
    expect.objectContaining({ type: 'message', text: 'hjälp', conversationId: 'c1', locale: 'sv-SE', status: 0 }),
  ]);

  const settled = proxy.settled(5000);
  let done = false;
  void settled.then(() => (done = true));
  await new Promise((r) => setTimeout(r, 50));
  expect(done).toBe(false);

  release!();
  await expect(settled).resolves.toEqual([expect.objectContaining({ text: 'hjälp', status: 202 })]);
  expect((await response).status).toBe(202);
});

it('says which activity the bot has not answered when settling times out', async () => {
  release = undefined;
  const response = fetch(proxy.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'invoke', name: 'adaptiveCard/action', conversation: { id: 'c1' } }),
  });
  await until(() => release !== undefined);
  await expect(proxy.settled(200)).rejects.toThrow(
    'proxy: the bot has not answered invoke adaptiveCard/action within 200 ms',
  );
  release!();
  await response;
  await expect(proxy.settled(1000)).resolves.toHaveLength(2);
});
