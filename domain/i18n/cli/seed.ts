/**
 * Texts of `npm run seed` (cli/seed.ts).
 * Swedish first, English typed by it.
 */
export const sv = {
  'cli.seed.usage': [
    'Användning: npm run seed [-- --lang sv|en]',
    '',
    '  Läser in ett demoprogram (handlingsplan, fyra veckors incheckningar och några beslut)',
    '  i botens lagring. Det som redan finns lämnas orört.',
  ].join('\n'),
  'cli.seed.progress': 'demodata',
  'cli.seed.actions': 'Åtgärder: {created} nya, {existing} fanns redan.',
  'cli.seed.events': 'Händelser (veckorna {weeks}): {appended} nya, {existing} fanns redan.',
  'cli.seed.decisions': 'Beslut: {created} nya, {existing} fanns redan.',
  'cli.seed.done':
    'Klart. Skriv @Kraftsamla åtgärder i en kopplad kanal (npm run dev startar boten i Agents Playground).',
} as const;

export const en: Record<keyof typeof sv, string> = {
  'cli.seed.usage': [
    'Usage: npm run seed [-- --lang sv|en]',
    '',
    '  Loads a demo program (action plan, four weeks of check-ins and a few decisions)',
    "  into the bot's store. What is already there is left alone.",
  ].join('\n'),
  'cli.seed.progress': 'demo data',
  'cli.seed.actions': 'Actions: {created} new, {existing} already there.',
  'cli.seed.events': 'Events (weeks {weeks}): {appended} new, {existing} already there.',
  'cli.seed.decisions': 'Decisions: {created} new, {existing} already there.',
  'cli.seed.done':
    'Done. Type @Kraftsamla actions in a linked channel (npm run dev starts the bot in the Agents Playground).',
};
