/**
 * Validates a card with the `adaptivecards` library for schema version 1.5. The package's CommonJS
 * entry does not load in Node; its UMD bundle does, so that is the one loaded here.
 */
import type { AdaptiveCard } from './card';

interface AcModule {
  AdaptiveCard: new () => {
    parse(json: unknown, ctx: unknown): void;
    validateProperties(): { validationEvents: { message: string }[] };
  };
  SerializationContext: new (version: unknown) => { eventCount: number; getEventAt(i: number): { message: string } };
  Versions: { v1_5: unknown };
}

let ac: AcModule | undefined;
function lib(): AcModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the UMD bundle has no typings and must be required by path
  ac ??= require('adaptivecards/dist/adaptivecards.js') as AcModule;
  return ac;
}

/** Returns the problems the library finds (parse events and validation events); empty means valid. */
export function validateCard(json: AdaptiveCard | Record<string, unknown>): string[] {
  const { AdaptiveCard: Card, SerializationContext, Versions } = lib();
  const card = new Card();
  const ctx = new SerializationContext(Versions.v1_5);
  card.parse(json, ctx);
  const problems: string[] = [];
  for (let i = 0; i < ctx.eventCount; i++) problems.push(ctx.getEventAt(i).message);
  for (const e of card.validateProperties().validationEvents) problems.push(e.message);
  if ((json as { version?: string }).version !== '1.5')
    problems.push(`version must be 1.5, got ${(json as { version?: string }).version}`);
  return problems;
}
