/**
 * Texts every command-line tool shares: the arguments (`--lang`, unknown options), the
 * configuration and the program, the store (which one, why it cannot be opened) and a few words.
 * Swedish first, English typed by it.
 */
export const sv = {
  'cli.lang.invalid': '--lang tar sv eller en',
  'cli.args.unknownOption': 'okänt val {option}',
  'cli.args.unexpected': 'oväntat argument "{arg}"',
  'cli.args.flagWithValue': '{option} tar inget värde',
  'cli.config.invalid': 'Konfigurationen är inte giltig:',
  'cli.program.invalid': 'Programfilen kan inte användas: {reason}',
  'cli.store.shared': 'Använder botens lagring (Azurite på port {port}).',
  'cli.store.botUnreachable':
    'Boten verkar köra (process {pid}) men dess lagring på port {port} svarar inte. Stoppa boten, eller sätt AZURE_TABLES_CONNECTION_STRING, och försök igen.',
  'cli.store.startFailed':
    'Kunde inte starta den inbyggda lagringen i {dir} ({reason}). Kör boten samtidigt? Stoppa boten eller sätt AZURE_TABLES_CONNECTION_STRING och försök igen.',
  'cli.store.unavailable': 'Lagringen svarar inte ({reason}).',
  'cli.store.inMemory.import': 'Varning: AZURITE_IN_MEMORY är på; det som importeras försvinner när importen är klar.',
  'cli.store.inMemory.seed': 'Varning: AZURITE_IN_MEMORY är på; demodata försvinner när kommandot är klart.',
  'cli.store.inMemory.read': 'Varning: AZURITE_IN_MEMORY är på; lagringen är ny och tom, inte botens.',
  'cli.store.inMemory.restore':
    'Varning: AZURITE_IN_MEMORY är på; det som återställs försvinner när kommandot är klart.',
  'cli.word.warning': 'varning',
  'cli.word.error': 'fel',
  'cli.stdout': 'standard ut',
  // A second start on a data folder that is in use (the bot, npm run dev, a CLI with its own store)
  'start.dataDirLocked':
    'Kraftsamla körs redan på datamappen {dir}: process {pid} ({command}), startad {startedAt}. Den här starten avbröts utan att röra något. Stoppa den andra processen först, eller ge den här en egen DATA_DIR.',
  // No store configured, and no Azurite to embed (a production install without development dependencies)
  'start.noStorage':
    'Ingen lagring konfigurerad: ange AZURE_TABLES_CONNECTION_STRING (eller AZURE_TABLES_ENDPOINT med en hanterad identitet) för ett Azure Table Storage-konto. (Azurite, den inbyggda lagringen för utveckling, är inte installerad i en produktionsinstallation; för utveckling, installera med utvecklingsberoendena: npm install.)',
  'cli.store.locked':
    'Datamappen {dir} används av process {pid} ({command}), startad {startedAt}, och dess lagring går inte att dela. Vänta tills den är klar, eller sätt AZURE_TABLES_CONNECTION_STRING, och försök igen.',
} as const;

export const en: Record<keyof typeof sv, string> = {
  'cli.lang.invalid': '--lang takes sv or en',
  'cli.args.unknownOption': 'unknown option {option}',
  'cli.args.unexpected': 'unexpected argument "{arg}"',
  'cli.args.flagWithValue': '{option} takes no value',
  'cli.config.invalid': 'Invalid configuration:',
  'cli.program.invalid': 'The program file cannot be used: {reason}',
  'cli.store.shared': "Using the bot's store (Azurite on port {port}).",
  'cli.store.botUnreachable':
    'The bot seems to be running (process {pid}) but its store on port {port} does not answer. Stop the bot, or set AZURE_TABLES_CONNECTION_STRING, and try again.',
  'cli.store.startFailed':
    'Could not start the embedded store in {dir} ({reason}). Is the bot running? Stop the bot or set AZURE_TABLES_CONNECTION_STRING and try again.',
  'cli.store.unavailable': 'The store does not answer ({reason}).',
  'cli.store.inMemory.import': 'Warning: AZURITE_IN_MEMORY is on; whatever is imported is gone when the import ends.',
  'cli.store.inMemory.seed': 'Warning: AZURITE_IN_MEMORY is on; the demo data is gone when this command ends.',
  'cli.store.inMemory.read': "Warning: AZURITE_IN_MEMORY is on; the store is new and empty, not the bot's.",
  'cli.store.inMemory.restore':
    'Warning: AZURITE_IN_MEMORY is on; whatever is restored is gone when this command ends.',
  'cli.word.warning': 'warning',
  'cli.word.error': 'error',
  'cli.stdout': 'standard output',
  'start.dataDirLocked':
    'Kraftsamla is already running on the data folder {dir}: process {pid} ({command}), started {startedAt}. This start stopped without touching anything. Stop the other process first, or give this one its own DATA_DIR.',
  'start.noStorage':
    'No storage configured: set AZURE_TABLES_CONNECTION_STRING (or AZURE_TABLES_ENDPOINT with a managed identity) for an Azure Table Storage account. (Azurite, the embedded development store, is not installed in a production install; for development, install with the development dependencies: npm install.)',
  'cli.store.locked':
    'The data folder {dir} is in use by process {pid} ({command}), started {startedAt}, and its store cannot be shared. Wait until it is done, or set AZURE_TABLES_CONNECTION_STRING, and try again.',
};
