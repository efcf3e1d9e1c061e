/**
 * "Veckan i korthet" through @microsoft/teams-ai's OpenAIModel against a local OpenAI-compatible
 * server double (and an Azure OpenAI one over HTTPS): the paragraph comes from the model, the
 * structured data goes in as JSON, and every failure falls back to the rule-based text.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { aiEndpointOf, createSummaryWriter, TeamsAiSummaryWriter } from '../../bot/ai-summary';
import { digestCard } from '../../cards/digest/digest.card';
import { validateCard } from '../../cards/validate';
import { deterministicSummary, SUMMARY_MAX_CHARS, type SummaryFacts, writeSummary } from '../../domain/digest';
import type { Logger } from '../../domain/ports';
import { assembled, HOSTILE } from '../support/digest-scenario';
import { startModelDouble, type ModelDouble } from '../support/model-double';

interface Logged {
  level: string;
  obj: Record<string, unknown>;
  msg?: string;
}

function recordingLogger(into: Logged[]): Logger {
  const make = (bindings: object): Logger => ({
    debug: (obj, msg) => into.push({ level: 'debug', obj: { ...bindings, ...obj }, msg }),
    info: (obj, msg) => into.push({ level: 'info', obj: { ...bindings, ...obj }, msg }),
    warn: (obj, msg) => into.push({ level: 'warn', obj: { ...bindings, ...obj }, msg }),
    error: (obj, msg) => into.push({ level: 'error', obj: { ...bindings, ...obj }, msg }),
    child: (more) => make({ ...bindings, ...more }),
  });
  return make({});
}

const MODEL_TEXT =
  'Vecka 48 rörde sig bostadsfrågorna framåt: bygglovet vid Kanaludden beviljades och bostadsförsörjningsprogrammet blev klart, medan Saltvik bromsas av en överklagan.';

let double: ModelDouble;
const digest = assembled();

beforeAll(async () => {
  double = await startModelDouble();
});

afterAll(async () => {
  await double?.close();
});

beforeEach(() => {
  double.requests.length = 0;
  double.behave({ kind: 'text', text: MODEL_TEXT });
  // teams-ai's OpenAIModel prints failed calls with console.log; keep test output readable.
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterEach(() => jest.restoreAllMocks());

const openAi = () =>
  createSummaryWriter({ openAiKey: 'sk-test-key', openAiBaseUrl: `${double.url}/v1`, model: 'gpt-test' })!;

describe('configuration', () => {
  it('picks OpenAI, a keyless compatible server, Azure, or nothing', () => {
    expect(aiEndpointOf({ model: 'm' })).toBeUndefined();
    expect(aiEndpointOf({ openAiKey: 'k', model: 'm' })).toEqual({
      kind: 'openai',
      apiKey: 'k',
      baseUrl: undefined,
      model: 'm',
    });
    expect(aiEndpointOf({ openAiBaseUrl: 'http://127.0.0.1:1/v1', model: 'm' })).toMatchObject({
      kind: 'openai',
      baseUrl: 'http://127.0.0.1:1/v1',
    });
    expect(
      aiEndpointOf({ azureKey: 'a', azureEndpoint: 'https://x.openai.azure.com', azureDeployment: 'd', model: 'm' }),
    ).toEqual({
      kind: 'azure',
      apiKey: 'a',
      endpoint: 'https://x.openai.azure.com',
      deployment: 'd',
    });
    // An incomplete Azure configuration is not used.
    expect(aiEndpointOf({ azureKey: 'a', azureEndpoint: 'https://x.openai.azure.com', model: 'm' })).toBeUndefined();
    expect(createSummaryWriter({ model: 'm' })).toBeUndefined();
  });
});

describe('the model path (OpenAI-compatible double)', () => {
  it('writes the paragraph with the model, from the digest data as JSON', async () => {
    const logs: Logged[] = [];
    const summary = await writeSummary(digest, 'sv-SE', { writer: openAi(), logger: recordingLogger(logs) });
    expect(summary).toEqual({ source: 'ai', text: MODEL_TEXT });

    expect(double.requests).toHaveLength(1);
    const req = double.requests[0]!;
    expect(req.path).toBe('/v1/chat/completions');
    expect(req.headers.authorization).toBe('Bearer sk-test-key');
    expect(req.body.model).toBe('gpt-test');
    expect(req.body.max_tokens).toBe(360);
    expect(req.body.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(req.body.messages[0]!.content).toContain('Skriv på svenska');
    expect(req.body.messages[0]!.content).toContain('högst 120 ord');
    const data = JSON.parse(req.body.messages[1]!.content) as { digest: SummaryFacts; ruleBasedSummary: string };
    expect(data.digest.week).toBe('2026-W48');
    expect(data.digest.overview.statusChanges).toBe(4);
    expect(data.digest.decisions.map((d) => d.number)).toEqual(['D-2026-002', 'D-2026-003']);
    expect(data.ruleBasedSummary).toBe(deterministicSummary(digest, 'sv-SE'));
    // User text reaches the model as data, not evaluated: `{{...}}` and `${...}` stay as typed.
    const trygghet = data.digest.teams.find((t) => t.name === 'Trygghet')!;
    expect(HOSTILE.length).toBeLessThan(200);
    expect(trygghet.statusChanges[0]!.comment).toBe(HOSTILE);
    expect(req.body.messages[1]!.content).toContain('{{user.name}}');
    expect(logs.some((l) => l.level === 'info' && l.msg === 'digest summary written by the model')).toBe(true);
  });

  it('asks in English for an English reader', async () => {
    double.behave({ kind: 'text', text: 'A steady week.' });
    expect(await writeSummary(digest, 'en-US', { writer: openAi() })).toEqual({ source: 'ai', text: 'A steady week.' });
    expect(double.requests[0]!.body.messages[0]!.content).toContain('Write in English');
  });

  it('tidies and caps what the model writes; the card still validates at the cap', async () => {
    double.behave({ kind: 'text', text: `"## Veckan\n\n${'ord '.repeat(400)}"` });
    const summary = await writeSummary(digest, 'sv-SE', { writer: openAi() });
    expect(summary.source).toBe('ai');
    expect(summary.text.startsWith('Veckan ord ord')).toBe(true);
    expect(summary.text.length).toBeLessThanOrEqual(SUMMARY_MAX_CHARS);
    expect(summary.text.split(' ').length).toBeLessThanOrEqual(122);
    const c = digestCard({ ...digest, summary }, 'sv-SE');
    expect(validateCard(c)).toEqual([]);
    expect(JSON.stringify(c)).toContain('Texten är skriven med AI ur siffrorna nedan.');
  });

  it.each([
    ['an HTTP 500', { kind: 'status', status: 500 } as const],
    ['an HTTP 429', { kind: 'status', status: 429 } as const],
    ['an empty answer', { kind: 'empty' } as const],
  ])('falls back to the rule-based paragraph on %s, and logs it', async (_name, behaviour) => {
    double.behave(behaviour);
    const logs: Logged[] = [];
    const summary = await writeSummary(digest, 'sv-SE', { writer: openAi(), logger: recordingLogger(logs) });
    expect(summary).toEqual({ source: 'rules', text: deterministicSummary(digest, 'sv-SE') });
    expect(double.requests).toHaveLength(1);
    const warning = logs.find((l) => l.level === 'warn');
    expect(warning?.msg).toBe('digest summary: the model failed; using the rule-based paragraph');
    expect(warning?.obj).toMatchObject({ writer: 'openai:gpt-test', week: '2026-W48' });
  });

  it('falls back when the model does not answer in time (the client gives up)', async () => {
    double.behave({ kind: 'hang' });
    const logs: Logged[] = [];
    const started = Date.now();
    const slow = createSummaryWriter(
      { openAiKey: 'k', openAiBaseUrl: `${double.url}/v1`, model: 'gpt-test' },
      { timeoutMs: 400 },
    )!;
    const summary = await writeSummary(digest, 'sv-SE', {
      writer: slow,
      logger: recordingLogger(logs),
      timeoutMs: 5000,
    });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(summary).toEqual({ source: 'rules', text: deterministicSummary(digest, 'sv-SE') });
    expect(String((logs.find((l) => l.level === 'warn')?.obj.err as { message: string }).message)).toMatch(
      /^model call error/,
    );
  });

  it('stops waiting after the timeout even if the writer never returns', async () => {
    const logs: Logged[] = [];
    const never = {
      name: 'never',
      write: (_r: unknown, signal: AbortSignal) =>
        new Promise<string>((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))),
    };
    const started = Date.now();
    const summary = await writeSummary(digest, 'en-US', {
      writer: never,
      logger: recordingLogger(logs),
      timeoutMs: 300,
    });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(summary).toEqual({ source: 'rules', text: deterministicSummary(digest, 'en-US') });
    expect((logs.find((l) => l.level === 'warn')?.obj.err as { message: string }).message).toBe(
      'no answer within 300 ms',
    );
  });

  it('falls back when the endpoint is down', async () => {
    const down = createSummaryWriter({ openAiKey: 'k', openAiBaseUrl: 'http://127.0.0.1:9/v1', model: 'gpt-test' })!;
    expect((await writeSummary(digest, 'sv-SE', { writer: down })).source).toBe('rules');
  });
});

describe('the Azure OpenAI path (HTTPS double)', () => {
  let azure: ModelDouble | undefined;
  let ca = '';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-aoai-'));

  beforeAll(async () => {
    // A throwaway self-signed certificate for 127.0.0.1 (Azure endpoints must be HTTPS).
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    ca = fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8');
    azure = await startModelDouble({ key: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8'), cert: ca });
  });

  afterAll(async () => {
    await azure?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('calls the deployment with the api-key header, and falls back when it fails', async () => {
    const writer = new TeamsAiSummaryWriter(
      { kind: 'azure', apiKey: 'azure-test-key', endpoint: azure!.url, deployment: 'sammanfattning' },
      { httpAgent: new https.Agent({ ca }) },
    );
    azure!.behave({ kind: 'text', text: 'Azure skrev detta.' });
    expect(await writeSummary(digest, 'sv-SE', { writer })).toEqual({ source: 'ai', text: 'Azure skrev detta.' });
    const req = azure!.requests[0]!;
    expect(req.path).toBe('/openai/deployments/sammanfattning/chat/completions?api-version=2024-06-01');
    expect(req.headers['api-key']).toBe('azure-test-key');
    expect(JSON.parse(req.body.messages[1]!.content).digest.week).toBe('2026-W48');

    azure!.behave({ kind: 'status', status: 503 });
    expect(await writeSummary(digest, 'sv-SE', { writer })).toEqual({
      source: 'rules',
      text: deterministicSummary(digest, 'sv-SE'),
    });
  });
});
