/**
 * Plan import at the store's pace: `npm run import` of a plan of N actions (default 5 000, nine
 * teams) into an empty in-memory Azurite, against the same number of action rows written straight
 * to the same Azurite in 100-operation batch transactions, in the same run. The ratio is the
 * import's rows per second over the batches'; the goal is at least 25 %.
 *
 *   npm run bench -- --only import [--quick]
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TransactionAction } from '@azure/data-tables';
import { main as importMain } from '../cli/import';
import { loadProgram } from '../domain/program';
import { startAzurite } from '../storage/azurite';
import { TableStore } from '../storage/table-store';

export interface ImportBenchResult {
  actions: number;
  importSeconds: number;
  importRowsPerSecond: number;
  batchSeconds: number;
  batchRowsPerSecond: number;
  ratio: number;
}

/** A plan in the shape municipalities keep it (semicolons, Swedish headers), `count` actions over the program's teams. */
function planCsv(count: number): string {
  const program = loadProgram();
  const teams = program.teams;
  const lines = [
    'Team;Insats;Beskrivning;Ansvarig;E-post;Ansvarig nämnd;Start;Slutdatum;Finansiering;Status;Framdrift',
  ];
  for (let i = 0; i < count; i++) {
    const team = teams[i % teams.length]!;
    lines.push(
      [
        team.name,
        `Åtgärd ${i + 1} för ${team.name}`,
        `Beskrivning av åtgärd ${i + 1}: vad som ska göras, av vem och varför, på ett par rader.`,
        `Person ${i % 97}`,
        `person${i % 97}@harnosand.se`,
        'Kommunstyrelsen',
        '2027-01-15',
        '2027-12-31',
        'Budget 2027',
        'Enligt plan',
        String(i % 100),
      ].join(';'),
    );
  }
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

const silent = { write: () => true };

export async function runImportBench(
  options: { actions?: number; log?: (s: string) => void } = {},
): Promise<ImportBenchResult> {
  const actions = options.actions ?? 5_000;
  const log = options.log ?? (() => undefined);
  const azurite = await startAzurite({ inMemory: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kraftsamla-import-bench-'));
  try {
    // Baseline: the same number of rows of the same size, straight to the store in batches of 100.
    const store = new TableStore({
      connectionString: azurite.connectionString,
      tablePrefix: `b${randomBytes(3).toString('hex')}`,
    });
    await store.ensureTables();
    const table = store.client('actions');
    const row = 'x'.repeat(900);
    log(`import: baseline, ${actions} rows in batches of 100`);
    const b0 = performance.now();
    for (let i = 0; i < actions; i += 100) {
      const batch: TransactionAction[] = [];
      for (let j = i; j < Math.min(actions, i + 100); j++)
        batch.push(['create', { partitionKey: 'harnosand', rowKey: `A-${j}`, data0: row }]);
      await table.submitTransaction(batch);
    }
    const batchSeconds = (performance.now() - b0) / 1000;

    const file = path.join(dir, 'plan.csv');
    fs.writeFileSync(file, planCsv(actions));
    log(`import: npm run import of ${actions} actions`);
    const env = {
      AZURE_TABLES_CONNECTION_STRING: azurite.connectionString,
      TABLE_PREFIX: `i${randomBytes(3).toString('hex')}`,
      LOG_LEVEL: 'silent',
    };
    const i0 = performance.now();
    const code = await importMain([file, '--lang', 'en'], { env, stdout: silent, stderr: silent, cwd: dir });
    const importSeconds = (performance.now() - i0) / 1000;
    if (code !== 0) throw new Error(`the import ended with exit code ${code}`);
    const importRowsPerSecond = actions / importSeconds;
    const batchRowsPerSecond = actions / batchSeconds;
    return {
      actions,
      importSeconds,
      importRowsPerSecond,
      batchSeconds,
      batchRowsPerSecond,
      ratio: importRowsPerSecond / batchRowsPerSecond,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await azurite.stop();
  }
}

export function formatImport(r: ImportBenchResult): string {
  const f = (x: number) => x.toFixed(1);
  return [
    '| what | rows | seconds | rows/s |',
    '| --- | ---: | ---: | ---: |',
    `| baseline: the same rows in 100-operation batches | ${r.actions} | ${f(r.batchSeconds)} | ${r.batchRowsPerSecond.toFixed(0)} |`,
    `| \`npm run import\` of the plan | ${r.actions} | ${f(r.importSeconds)} | ${r.importRowsPerSecond.toFixed(0)} |`,
    '',
    `Ratio (import / batches): **${(r.ratio * 100).toFixed(0)} %** (goal ≥ 25 %).`,
  ].join('\n');
}
