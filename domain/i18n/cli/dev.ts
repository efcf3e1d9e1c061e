/**
 * Texts of `npm run dev` (scripts/dev.ts): the local Playground run.
 * Swedish first, English typed by it.
 */
export const sv = {
  'dev.compiling': 'Kompilerar (tsc --watch)…',
  'dev.running': 'Kraftsamla körs i Microsoft 365 Agents Playground:',
  'dev.open': '  öppna {url} i webbläsaren',
  'dev.bot': '  boten {url}/api/messages, startas om när du sparar en .ts-fil; klientens språk {locale}',
  'dev.tab': '  programöversikten (fliken) {url}/tab – Playground visar inga flikar, så öppna den i webbläsaren',
  'dev.team': '  teamet "{team}" med kanalerna General och {channel}. Prova, i {channel}:',
  'dev.demo.loaded': '  demodata: inläst. Ctrl+C stoppar allt.',
  'dev.demo.none':
    '  demodata: npm run dev -- --seed, eller node dist/cli/seed.js medan detta körs. Ctrl+C stoppar allt.',
  'dev.stopping': 'Stoppar…',
  'dev.botExited': 'Boten avslutades: {output}',
  'dev.botSlow': 'Boten svarade inte på {url} i tid: {output}',
  'dev.seedFailed': 'Inläsningen av demodata misslyckades (slutkod {code}): {output}',
  'dev.usage': 'Användning: npm run dev [-- --seed] [--lang sv|en|client] [--playground-port <port>]',
  'dev.lang': '--lang tar sv, en eller client',
  'dev.port': '--playground-port tar ett portnummer',
} as const;

export const en: Record<keyof typeof sv, string> = {
  'dev.compiling': 'Compiling (tsc --watch)…',
  'dev.running': 'Kraftsamla is running in the Microsoft 365 Agents Playground:',
  'dev.open': '  open {url} in your browser',
  'dev.bot': '  bot {url}/api/messages, restarted when you save a .ts file; client language {locale}',
  'dev.tab': '  the program overview (the tab) {url}/tab – the Playground shows no tabs, so open it in your browser',
  'dev.team': '  team "{team}" with the channels General and {channel}. Try, in {channel}:',
  'dev.demo.loaded': '  demo data: loaded. Ctrl+C stops everything.',
  'dev.demo.none':
    '  demo data: npm run dev -- --seed, or node dist/cli/seed.js while this runs. Ctrl+C stops everything.',
  'dev.stopping': 'Stopping…',
  'dev.botExited': 'The bot exited: {output}',
  'dev.botSlow': 'The bot did not answer {url} in time: {output}',
  'dev.seedFailed': 'Seeding failed (exit code {code}): {output}',
  'dev.usage': 'Usage: npm run dev [-- --seed] [--lang sv|en|client] [--playground-port <port>]',
  'dev.lang': '--lang takes sv, en or client',
  'dev.port': '--playground-port takes a port number',
};
