import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, loadConfig } from '../../config/config';

describe('config', () => {
  it('has sensible defaults and is frozen', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3978);
    // Anonymous: nothing checks who calls, so only loopback listens by default.
    expect(c.host).toBe('127.0.0.1');
    expect(loadConfig({ MICROSOFT_APP_ID: 'x', MICROSOFT_APP_PASSWORD: 'p' }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(c.auth.appId).toBeUndefined();
    expect(c.storage.connectionString).toBeUndefined();
    expect(c.storage.dataDir).toBe(path.resolve('./.data'));
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.auth)).toBe(true);
    expect(() => {
      (c as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('names the variables at fault', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ SCHEDULER_ENABLED: 'kanske' })).toThrow(/SCHEDULER_ENABLED/);
    expect(() => loadConfig({ MICROSOFT_APP_ID: 'x' })).toThrow(/MICROSOFT_APP_PASSWORD/);
    expect(() => loadConfig({ MICROSOFT_APP_ID: 'x', MICROSOFT_APP_PASSWORD: 'p', MICROSOFT_APP_TYPE: 'SingleTenant' })).toThrow(ConfigError);
  });

  it('defaults allowed tenants to the app tenant when single-tenant', () => {
    const c = loadConfig({ MICROSOFT_APP_ID: 'x', MICROSOFT_APP_PASSWORD: 'p', MICROSOFT_APP_TYPE: 'SingleTenant', MICROSOFT_APP_TENANT_ID: 'tid' });
    expect(c.auth.allowedTenants).toEqual(['tid']);
    expect(loadConfig({ ALLOWED_TENANTS: 'a, b' }).auth.allowedTenants).toEqual(['a', 'b']);
  });

  it('documents every variable in .env.example', () => {
    const example = fs.readFileSync(path.join(__dirname, '..', '..', '.env.example'), 'utf8');
    const documented = new Set([...example.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]));
    const source = fs.readFileSync(path.join(__dirname, '..', '..', 'config', 'config.ts'), 'utf8');
    const schemaBlock = source.slice(source.indexOf('const schema = z.object({'), source.indexOf('export type RawConfig'));
    const variables = [...schemaBlock.matchAll(/^\s{2}([A-Z_]+):/gm)].map((m) => m[1]);
    expect(variables.length).toBeGreaterThan(20);
    expect(variables.filter((v) => !documented.has(v))).toEqual([]);
  });
});
