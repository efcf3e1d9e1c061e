/**
 * What the running bot loads (bot/index.ts and what it starts): a bot that has started, with a
 * language model configured, and answered a check-in has not loaded the libraries only rare
 * paths use (exceljs and its zip libraries, pdfkit, the openai client and teams-ai's AI side,
 * OpenTelemetry, the manifest's schema checks, pngjs). They load when first used and work: a
 * sheet written and read back as a plan in the same process. Run in a plain Node.js process
 * (test/bot/fixtures/startup-child.ts), where `require.cache` is Node's own.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const CHILD = path.join(__dirname, 'fixtures', 'startup-child.ts');

/** Runs a .ts file in plain Node.js, transpiled on require (as test/bot/telemetry.test.ts does). */
const TS_HOOK = `
const ts = require('typescript');
const fs = require('fs');
require.extensions['.ts'] = (m, filename) => {
  const out = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, resolveJsonModule: true },
  });
  m._compile(out.outputText, filename);
};
require(process.argv[1]);
`;

interface Result {
  afterAnswer: string[];
  afterSheet: string[];
  answer: { status: number; card: string };
  read: string[][];
}

/** Packages a card answer never needs: none of them may be loaded by starting and answering. */
const RARE = [
  'exceljs',
  'jszip',
  'archiver',
  'unzipper',
  'pdfkit',
  'openai',
  'gpt-tokenizer',
  '@opentelemetry/api',
  '@opentelemetry/sdk-trace-base',
  '@azure/monitor-opentelemetry-exporter',
  'ajv',
  '@microsoft/app-manifest',
  'pngjs',
];

let result: Result;

beforeAll(async () => {
  const child = spawn(process.execPath, ['--no-deprecation', '-e', TS_HOOK, CHILD], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(OTEL_|APPLICATIONINSIGHTS_)/.test(k))),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  expect(line).toBeDefined();
  result = JSON.parse(line!.slice('RESULT '.length)) as Result;
}, 120_000);

describe('the running bot', () => {
  it('answers a check-in without loading what only rare paths use', () => {
    expect(result.answer.status).toBe(200);
    expect(result.answer.card).toContain('BOS-01');
    // It did load what it runs on (the list is Node's own, not empty by mistake).
    expect(result.afterAnswer).toEqual(
      expect.arrayContaining(['@microsoft/teams-ai', 'botbuilder', 'restify', '@azure/data-tables', 'zod']),
    );
    expect(result.afterAnswer.filter((name) => RARE.includes(name))).toEqual([]);
  });

  it('loads exceljs when a sheet is first written, and it writes and reads one', () => {
    expect(result.afterSheet).toEqual(expect.arrayContaining(['exceljs', 'jszip']));
    expect(result.read).toEqual([['Bostäder', 'Nya bostäder', 'Enligt plan']]);
  });
});
