/**
 * Who opens the tab: the Teams SSO token (`authentication.getAuthToken()` in the page) checked on
 * the server. A v2 Entra ID access token, RS256, signed by a key of Entra ID's published set; its
 * audience the bot's app id (or the tab's Application ID URI), its issuer Entra ID's for the
 * token's own tenant, that tenant one of the program's, the scope `access_as_user`, and it must be
 * valid now (five minutes' leeway for clocks, as botbuilder allows channel tokens).
 */
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Logger } from '../domain/ports';

export interface TabUser {
  /** Entra object id. */
  oid: string;
  tenantId: string;
  name?: string;
}

export type TabAuthProblem =
  'missing' | 'malformed' | 'signature' | 'expired' | 'audience' | 'issuer' | 'tenant' | 'scope';

export class TabAuthError extends Error {
  constructor(readonly problem: TabAuthProblem) {
    super(`tab token refused: ${problem}`);
  }
}

export interface TabAuthOptions {
  appId: string;
  appIdUri?: string;
  /** Entra ID's OpenID metadata (its `jwks_uri` names the signing keys). */
  openIdMetadata: string;
  /** The issuer with `{tenantid}` for the token's tenant. */
  tokenIssuer: string;
  /** Tenants whose people may see the overview; empty: nobody. */
  tenants: readonly string[];
  logger: Logger;
  /** Default `fetch`. */
  fetchJson?: (url: string) => Promise<unknown>;
  now?: () => number;
}

const KEYS_TTL_MS = 24 * 3600_000;
/** An unknown key id fetches the set again, at most this often. */
const REFETCH_MS = 5 * 60_000;
const LEEWAY_S = 300;

async function fetchJsonDefault(url: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return res.json();
}

export class TabAuthenticator {
  private keys = new Map<string, KeyObject>();
  private fetchedAt = 0;
  private attemptedAt = -Infinity;
  private loading?: Promise<void>;
  private readonly fetchJson: (url: string) => Promise<unknown>;
  private readonly now: () => number;

  constructor(private readonly o: TabAuthOptions) {
    this.fetchJson = o.fetchJson ?? fetchJsonDefault;
    this.now = o.now ?? Date.now;
  }

  /** The user of a valid token; TabAuthError naming what was wrong otherwise. */
  async verify(authorization: string | undefined): Promise<TabUser> {
    const m = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(authorization?.trim() ?? '');
    if (!authorization) throw new TabAuthError('missing');
    if (!m) throw new TabAuthError('malformed');
    const token = m[1]!;
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload !== 'object' || decoded.header.alg !== 'RS256' || !decoded.header.kid)
      throw new TabAuthError('malformed');
    const key = await this.key(decoded.header.kid);
    if (!key) throw new TabAuthError('signature');
    let claims: jwt.JwtPayload;
    try {
      claims = jwt.verify(token, key, {
        algorithms: ['RS256'],
        clockTolerance: LEEWAY_S,
        clockTimestamp: Math.floor(this.now() / 1000),
      }) as jwt.JwtPayload;
    } catch (err) {
      throw new TabAuthError(
        err instanceof jwt.TokenExpiredError || err instanceof jwt.NotBeforeError ? 'expired' : 'signature',
      );
    }
    const audiences = [this.o.appId, this.o.appIdUri].filter((a): a is string => !!a);
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.some((a) => typeof a === 'string' && audiences.includes(a))) throw new TabAuthError('audience');
    const tid = typeof claims.tid === 'string' ? claims.tid : '';
    if (!tid || claims.iss !== this.o.tokenIssuer.replace('{tenantid}', tid)) throw new TabAuthError('issuer');
    if (!this.o.tenants.includes(tid)) throw new TabAuthError('tenant');
    const scopes = typeof claims.scp === 'string' ? claims.scp.split(' ') : [];
    if (!scopes.includes('access_as_user')) throw new TabAuthError('scope');
    if (typeof claims.oid !== 'string' || !claims.oid) throw new TabAuthError('malformed');
    return { oid: claims.oid, tenantId: tid, ...(typeof claims.name === 'string' ? { name: claims.name } : {}) };
  }

  private async key(kid: string): Promise<KeyObject | undefined> {
    const stale = this.now() - this.fetchedAt > KEYS_TTL_MS;
    if ((stale || !this.keys.has(kid)) && this.now() - this.attemptedAt > REFETCH_MS) await this.load();
    return this.keys.get(kid);
  }

  private load(): Promise<void> {
    this.loading ??= (async () => {
      this.attemptedAt = this.now();
      try {
        const meta = (await this.fetchJson(this.o.openIdMetadata)) as { jwks_uri?: unknown };
        if (typeof meta.jwks_uri !== 'string') throw new Error('OpenID metadata without jwks_uri');
        const set = (await this.fetchJson(meta.jwks_uri)) as { keys?: (JsonWebKey & { kid?: string })[] };
        const keys = new Map<string, KeyObject>();
        for (const jwk of set.keys ?? []) {
          if (!jwk.kid || jwk.kty !== 'RSA') continue;
          try {
            keys.set(jwk.kid, createPublicKey({ key: jwk, format: 'jwk' }));
          } catch {
            // A key we cannot read signs nothing we accept.
          }
        }
        this.keys = keys;
        this.fetchedAt = this.now();
      } catch (err) {
        // Keep the keys we had; the next try is REFETCH_MS later.
        this.o.logger.warn({ err }, 'could not read the signing keys for tab tokens');
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }
}
