/**
 * The log format: chosen from LOG_FORMAT, else by where the lines go; the readable lines of our
 * own formatter; and the same redaction in both formats.
 */
import { Writable } from 'node:stream';
import { ConfigError, loadConfig } from '../../config/config';
import { chooseLogFormat, createLogger, formatPretty } from '../../bot/logger';

function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  return {
    stream: new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk.toString('utf8'));
        callback();
      },
    }),
    text: () => chunks.join(''),
  };
}

describe('LOG_FORMAT', () => {
  it('is json or pretty, in any case; empty means chosen at start', () => {
    expect(loadConfig({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(loadConfig({ LOG_FORMAT: ' Pretty ' }).logFormat).toBe('pretty');
    expect(loadConfig({ LOG_FORMAT: '' }).logFormat).toBeUndefined();
    expect(loadConfig({}).logFormat).toBeUndefined();
  });

  it('refuses anything else, naming the variable and the values it takes', () => {
    let error: unknown;
    try {
      loadConfig({ LOG_FORMAT: 'yaml' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const [sv] = (error as ConfigError).problemsIn('sv-SE');
    const [en] = (error as ConfigError).problemsIn('en-US');
    expect(sv).toBe('LOG_FORMAT: "yaml" är inte tillåtet; välj ett av: json, pretty');
    expect(en).toMatch(/^LOG_FORMAT: .*"yaml".*json, pretty/);
  });

  it('defaults to pretty only at a terminal outside production', () => {
    expect(chooseLogFormat(undefined, { production: false, isTTY: true })).toBe('pretty');
    expect(chooseLogFormat(undefined, { production: true, isTTY: true })).toBe('json');
    expect(chooseLogFormat(undefined, { production: false, isTTY: false })).toBe('json');
    expect(chooseLogFormat(undefined, { production: true, isTTY: false })).toBe('json');
    expect(chooseLogFormat('json', { production: false, isTTY: true })).toBe('json');
    expect(chooseLogFormat('pretty', { production: true, isTTY: false })).toBe('pretty');
  });

  it('reads production from NODE_ENV', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).production).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development' }).production).toBe(false);
    expect(loadConfig({}).production).toBe(false);
  });
});

describe('the pretty formatter', () => {
  // 2026-11-23 08:00:00.042 UTC is 09:00:00.042 in Stockholm.
  const time = Date.UTC(2026, 10, 23, 8, 0, 0, 42);

  it('writes time (Stockholm), level, message and the fields on one line', () => {
    const line = JSON.stringify({
      level: 30,
      time,
      pid: 1,
      hostname: 'h',
      app: 'kraftsamla',
      msg: 'request',
      type: 'message',
      command: 'checkin',
      status: 200,
      ms: 12,
      team: 'bostader',
      activityId: 'a 1',
    });
    expect(formatPretty(line)).toBe(
      '09:00:00.042 INFO  request  type=message command=checkin status=200 ms=12 team=bostader activityId="a 1"',
    );
  });

  it('puts the component first, shows objects as JSON and an error with its stack below', () => {
    const line = JSON.stringify({
      level: 50,
      time,
      msg: 'boom',
      x: { a: 1 },
      component: 'storage',
      err: { type: 'Error', message: 'it broke', stack: 'Error: it broke\n    at f (a.ts:1:1)\n    at g (b.ts:2:2)' },
    });
    expect(formatPretty(line).split('\n')).toEqual([
      '09:00:00.042 ERROR boom  component=storage x={"a":1} err="it broke"',
      '    at f (a.ts:1:1)',
      '    at g (b.ts:2:2)',
    ]);
    expect(formatPretty(JSON.stringify({ level: 40, time, msg: 'stopped' }))).toBe('09:00:00.042 WARN  stopped');
  });

  it('leaves a line that is not a JSON record as it is', () => {
    expect(formatPretty('not json')).toBe('not json');
    expect(formatPretty('[1,2]')).toBe('[1,2]');
  });

  it('is what the logger writes with format pretty, redacted as the JSON is', () => {
    const out = sink();
    const logger = createLogger('info', out.stream, 'pretty');
    logger.info({ text: 'Hemlig text', comment: 'Hemlig kommentar', nested: { token: 'abc' }, ok: 1 }, 'hello');
    logger.debug({}, 'not at info');
    const lines = out.text().trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}hello {2}/);
    expect(lines[0]).toContain('ok=1');
    expect(out.text()).not.toMatch(/Hemlig|abc/);
    expect(out.text()).toContain('[redacted]');
  });

  it('json stays one parseable object a line', () => {
    const out = sink();
    createLogger('info', out.stream).info({ a: 1 }, 'hello');
    createLogger('info', out.stream, 'json').info({ b: 2 }, 'again');
    const records = out
      .text()
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((r) => r.msg)).toEqual(['hello', 'again']);
  });
});
