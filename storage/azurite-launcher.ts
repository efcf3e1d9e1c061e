/**
 * The program the embedded Azurite runs as: Azurite's table server, with the shutdown Azurite's
 * own `main.js` lacks. Azurite keeps its tables in memory (LokiJS) and writes them to disk every
 * 5 s and when it is closed; its `main.js` closes only on the first SIGINT, dies unsaved on
 * SIGTERM or SIGHUP, and a second SIGINT during a long save cuts the save short. This launcher:
 *
 * - closes the server (which saves) on the first SIGINT, SIGTERM or SIGHUP, and when its parent
 *   is gone (the IPC channel disconnects: the bot died, even by SIGKILL);
 * - ignores every later signal until the save is done, then exits 0 (1 if the save failed);
 * - tells its parent over IPC when it listens (`{ ready: port }`) or why it could not start.
 *
 * Row lookups use RowKey's index first (azurite-lookup.ts), so a write does not cost the size of
 * its partition; a query of one partition starts from that partition's rows (azurite-query.ts), so
 * it does not cost the size of its table.
 *
 * It is plain JavaScript run with `node -e`, so the same text runs from the compiled `dist/` and
 * from the TypeScript sources under ts-jest. `--location` stays on the command line: the orphan
 * check in azurite.ts recognises an Azurite of a data folder by it.
 */

import { keyLookupLauncherSource } from './azurite-lookup';
import { partitionQueryLauncherSource } from './azurite-query';

/** The launcher's source; `tableDir` is Azurite's `dist/src/table` folder. */
export function launcherSource(tableDir: string): string {
  return `'use strict';
const path = require('path');
const dir = ${JSON.stringify(tableDir)};
const TableServer = require(path.join(dir, 'TableServer')).default;
const TableConfiguration = require(path.join(dir, 'TableConfiguration')).default;
const { DEFAULT_TABLE_LOKI_DB_PATH } = require(path.join(dir, 'utils', 'constants'));
${keyLookupLauncherSource(tableDir)}
${partitionQueryLauncherSource(tableDir)}
const argv = process.argv.slice(1);
const option = (name) => { const at = argv.indexOf(name); return at >= 0 ? argv[at + 1] : undefined; };
const port = Number(option('--tablePort'));
const inMemory = argv.includes('--inMemoryPersistence');
const location = option('--location');
const dbPath = inMemory ? DEFAULT_TABLE_LOKI_DB_PATH : path.join(location, DEFAULT_TABLE_LOKI_DB_PATH);
// A parent that died leaves a closed pipe: a failed write must not kill the save.
process.stderr.on('error', () => {});
const tell = (message) => { try { if (process.connected) process.send(message); } catch { /* parent gone */ } };
// host, port, keep-alive (s), db path, debug log, access log, access log stream, debug file,
// loose, skipApiVersionCheck, cert, key, pwd, oauth, disableProductStyleUrl, in-memory.
const config = new TableConfiguration('127.0.0.1', port, 5, dbPath, false, false, undefined, undefined, false, true, '', '', '', undefined, true, inMemory);
const server = new TableServer(config);
const started = server.start();
let closing = false;
function close(reason) {
  if (closing) return;
  closing = true;
  started
    .then(() => server.close())
    .then(() => process.exit(0), (err) => { process.stderr.write('Azurite could not close (' + reason + '): ' + (err && err.message) + '\\n'); process.exit(1); });
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => close(signal));
process.on('disconnect', () => close('parent gone'));
started.then(
  () => tell({ ready: port }),
  (err) => { tell({ error: String((err && err.message) || err) }); process.stderr.write(String(err && err.message) + '\\n'); process.exit(1); },
);
`;
}
