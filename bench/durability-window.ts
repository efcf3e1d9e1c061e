/**
 * How long an acknowledged write to the embedded Azurite exists only in its memory: the window in
 * which SIGKILL of everything (the bot and its Azurite) or a power loss loses it. Every stop
 * signal, and the bot's own death, make the launcher save (storage/azurite-launcher.ts); only
 * this is left. Azurite (LokiJS) writes its whole database every 5 s when something changed.
 *
 * Writes one row at a random moment, then watches the database file until the row is in it;
 * prints the longest and the median of `rounds` such waits. Azure Table Storage has no such
 * window: a write is durable when it is acknowledged.
 *
 *   tsc -p tsconfig.bench.json && node dist/bench/durability-window.js [rounds]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TableClient } from '@azure/data-tables';
import { startAzurite } from '../storage/azurite';

async function main(rounds: number): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-window-'));
  const azurite = await startAzurite({ dataDir });
  const db = path.join(dataDir, 'azurite', '__azurite_db_table__.json');
  try {
    const table = TableClient.fromConnectionString(azurite.connectionString, 'window', {
      allowInsecureConnection: true,
    });
    await table.createTable();
    const waits: number[] = [];
    for (let i = 0; i < rounds; i++) {
      await new Promise((r) => setTimeout(r, Math.random() * 5000));
      const rowKey = `row-${i}-${Date.now()}`;
      await table.createEntity({ partitionKey: 'p', rowKey });
      const acknowledged = Date.now();
      while (!(fs.existsSync(db) && fs.readFileSync(db, 'utf8').includes(rowKey)))
        await new Promise((r) => setTimeout(r, 20));
      waits.push(Date.now() - acknowledged);
      console.error(`round ${i + 1}/${rounds}: on disk ${waits[i]} ms after the acknowledgement`);
    }
    waits.sort((a, b) => a - b);
    console.log(
      `Embedded Azurite: an acknowledged write reached the disk after at most ${waits[waits.length - 1]} ms ` +
        `(median ${waits[Math.floor(waits.length / 2)]} ms, ${rounds} writes at random moments). ` +
        'SIGKILL of the whole process tree or a power loss within that window loses it.',
    );
  } finally {
    await azurite.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

void main(Number(process.argv[2] ?? 8));
