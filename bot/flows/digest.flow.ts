/** The digest flow (being built). */
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { BotDeps } from '../deps';

export function register(_app: Application<TurnState>, _deps: BotDeps): void {
  // Routes are added here as the digest feature lands.
}
