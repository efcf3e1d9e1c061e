/**
 * A local stand-in for the Bot Framework's token service, for tests of inbound authentication:
 * a `node:http` server on 127.0.0.1 that serves OpenID metadata
 * (`/.well-known/openid-configuration`) and a JWKS (`/keys`) with its own RSA key, and signs
 * channel tokens the way the Bot Connector does (RS256 JWT with `iss`, `aud` = the bot's app id,
 * `serviceurl`, `nbf`, `exp`; the key carries the `endorsements` botframework-connector checks
 * against `activity.channelId`). Signing uses `node:crypto` only.
 *
 * Point the bot at it with `BOT_OPENID_METADATA=<metadataUrl>` and `BOT_TOKEN_ISSUER=<issuer>`
 * (bot/adapter.ts passes them to botbuilder as `ToBotFromChannelOpenIdMetadataUrl` and
 * `ToBotFromChannelTokenIssuer`).
 *
 * botframework-connector caches the metadata per URL for the whole process (24 h, and refetches
 * at most once an hour for an unknown `kid`): start one issuer per test file and do not rotate
 * its published keys mid-file.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createHmac,
  createPrivateKey,
  generateKeyPairSync,
  randomBytes,
  sign as cryptoSign,
  type KeyObject,
} from 'node:crypto';

/** The claims of a Bot Framework channel token (what the Bot Connector sends a bot). */
export interface ChannelTokenClaims {
  iss: string;
  aud: string;
  /** Seconds since the epoch. */
  nbf: number;
  exp: number;
  iat?: number;
  /** The activity's serviceUrl; botbuilder compares it with `activity.serviceUrl`. */
  serviceurl?: string;
  [claim: string]: unknown;
}

export interface SignOptions {
  /** `kid` in the header; the published key's id by default. */
  kid?: string;
  /** Sign with this key instead of the published one (e.g. an attacker's own key). */
  privateKey?: KeyObject;
  /** Header algorithm; `RS256` by default. Only RS256/384/512 actually sign. */
  alg?: 'RS256' | 'RS384' | 'RS512' | 'none' | 'HS256';
}

export interface JwtIssuerOptions {
  /** The `iss` of its tokens; `https://api.botframework.test` by default. */
  issuer?: string;
  /** Endorsements on the published key (Bot Framework publishes channel ids, e.g. `msteams`). */
  endorsements?: string[];
}

export interface JwtIssuer {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Use as `BOT_OPENID_METADATA`. */
  readonly metadataUrl: string;
  /** Use as `BOT_TOKEN_ISSUER`. */
  readonly issuer: string;
  /** The `kid` of the published key. */
  readonly kid: string;
  /** How many times the metadata and the JWKS were fetched. */
  readonly fetches: { metadata: number; keys: number };
  /** A channel token for `appId` valid now (±1 h), with `serviceurl`; `claims` override any claim. */
  channelToken(appId: string, serviceUrl: string, claims?: Partial<ChannelTokenClaims>, options?: SignOptions): string;
  /** Signs any claims. */
  sign(claims: Record<string, unknown>, options?: SignOptions): string;
  /** An RSA key the issuer does not publish. */
  foreignKey(): KeyObject;
  close(): Promise<void>;
}

function b64url(input: Buffer | string): string {
  return Buffer.from(input).toString('base64url');
}

const HASH = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' } as const;

function rsaKey(): { privateKey: KeyObject; publicJwk: { kty: string; n: string; e: string } } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' }) as { kty: string; n: string; e: string };
  return { privateKey, publicJwk: { kty: jwk.kty, n: jwk.n, e: jwk.e } };
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export async function startJwtIssuer(options: JwtIssuerOptions = {}): Promise<JwtIssuer> {
  const issuer = options.issuer ?? 'https://api.botframework.test';
  const endorsements = options.endorsements ?? ['msteams'];
  const kid = `test-${randomBytes(6).toString('hex')}`;
  const { privateKey, publicJwk } = rsaKey();
  const fetches = { metadata: 0, keys: 0 };
  let base = '';

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && path === '/.well-known/openid-configuration') {
      fetches.metadata++;
      json(200, {
        issuer,
        authorization_endpoint: `${base}/authorize`,
        jwks_uri: `${base}/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      });
      return;
    }
    if (req.method === 'GET' && path === '/keys') {
      fetches.keys++;
      json(200, { keys: [{ ...publicJwk, kid, use: 'sig', alg: 'RS256', endorsements }] });
      return;
    }
    json(404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;

  const sign = (claims: Record<string, unknown>, o: SignOptions = {}): string => {
    const alg = o.alg ?? 'RS256';
    const header = { alg, typ: 'JWT', kid: o.kid ?? kid };
    const data = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    if (alg === 'none') return `${data}.`;
    if (alg === 'HS256') {
      // An HMAC "signed" with the public modulus: the classic RS/HS confusion attack.
      return `${data}.${createHmac('sha256', publicJwk.n).update(data).digest('base64url')}`;
    }
    const signature = cryptoSign(HASH[alg], Buffer.from(data), o.privateKey ?? privateKey);
    return `${data}.${b64url(signature)}`;
  };

  return {
    url: base,
    metadataUrl: `${base}/.well-known/openid-configuration`,
    issuer,
    kid,
    fetches,
    sign,
    channelToken: (appId, serviceUrl, claims = {}, o = {}) => {
      const now = nowSeconds();
      return sign(
        { iss: issuer, aud: appId, serviceurl: serviceUrl, nbf: now - 60, iat: now - 60, exp: now + 3600, ...claims },
        o,
      );
    },
    foreignKey: () => createPrivateKey(rsaKey().privateKey.export({ format: 'pem', type: 'pkcs8' })),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Flips one character in the payload part of a JWT, keeping it valid base64url and JSON-shaped. */
export function tamperPayload(token: string, claims: Record<string, unknown>): string {
  const [header, payload, signature] = token.split('.');
  const decoded = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  return `${header}.${b64url(JSON.stringify({ ...decoded, ...claims }))}.${signature}`;
}
