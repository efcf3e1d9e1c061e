/**
 * ClientCache and appIdOf (bot/client-cache.ts), what the adapter keeps the clients of turns in:
 * one client per key however many turns ask at once, another key another client, a failed
 * making tried again, and the app id read from the validated claims as botbuilder reads it.
 */
import { AuthenticationConstants, ClaimsIdentity } from 'botframework-connector';
import { appIdOf, ClientCache } from '../../bot/client-cache';

describe('ClientCache', () => {
  it('makes one client per key, shared by concurrent callers', async () => {
    const cache = new ClientCache<{ n: number }>();
    let made = 0;
    const make = async () => ({ n: ++made });
    const [a, b] = await Promise.all([cache.get('k', make), cache.get('k', make)]);
    expect(a).toBe(b);
    expect(await cache.get('k', make)).toBe(a);
    expect(await cache.get('other', make)).not.toBe(a);
    expect(made).toBe(2);
  });

  it('makes a client again after a failed attempt', async () => {
    const cache = new ClientCache<string>();
    await expect(cache.get('k', () => Promise.reject(new Error('no credentials yet')))).rejects.toThrow();
    expect(await cache.get('k', async () => 'client')).toBe('client');
  });

  it('stays bounded: past its size it starts again', async () => {
    const cache = new ClientCache<number>();
    const first = await cache.get('k0', async () => 0);
    for (let i = 1; i <= 64; i++) await cache.get(`k${i}`, async () => i);
    expect(await cache.get('k0', async () => -1)).toBe(-1);
    expect(first).toBe(0);
  });
});

describe('appIdOf', () => {
  it('is the audience claim, else the appid claim, else none (anonymous)', () => {
    const id = (claims: [string, string][]) => new ClaimsIdentity(claims.map(([type, value]) => ({ type, value })));
    expect(appIdOf(id([[AuthenticationConstants.AudienceClaim, 'bot-app']]))).toBe('bot-app');
    expect(appIdOf(id([[AuthenticationConstants.AppIdClaim, 'emulator-app']]))).toBe('emulator-app');
    expect(appIdOf(id([]))).toBeUndefined();
  });
});
