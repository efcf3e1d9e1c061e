/**
 * Clients botbuilder would build for every turn (a connector client and a user token client,
 * each with an HTTP pipeline of its own), kept instead by what they are built from: the bot's app
 * id in the turn's validated claims, the service URL and the audience (bot/adapter.ts). They hold
 * no state of a turn (tokens are fetched and cached by their credentials; the adapter's policies
 * keep what they count per request), and most turns, a card answer among them, send nothing
 * through them.
 */
import { AuthenticationConstants, type ClaimsIdentity } from 'botframework-connector';

/** Clients by key, each made once (a promise, so concurrent turns share the making). */
export class ClientCache<T> {
  private static readonly MAX = 64;
  private readonly clients = new Map<string, Promise<T>>();

  get(key: string, create: () => Promise<T>): Promise<T> {
    let client = this.clients.get(key);
    if (!client) {
      // A handful of service URLs in practice; past the bound, the cache starts again.
      if (this.clients.size >= ClientCache.MAX) this.clients.clear();
      client = create();
      this.clients.set(key, client);
      // A client that could not be made (credentials not ready) is made again next time.
      client.catch(() => {
        if (this.clients.get(key) === client) this.clients.delete(key);
      });
    }
    return client;
  }
}

/** The app id the outgoing clients sign as: the validated token's audience (botbuilder's own choice). */
export function appIdOf(identity: ClaimsIdentity): string | undefined {
  return (
    identity.getClaimValue(AuthenticationConstants.AudienceClaim) ??
    identity.getClaimValue(AuthenticationConstants.AppIdClaim) ??
    undefined
  );
}
