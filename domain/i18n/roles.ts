/** Texts of the roles area (program admins, who may bind channels). Swedish first, English typed by it. */
export const sv = {
  'roles.role.admin': 'programadministratör',
  'roles.installer': '{name} (installerade Kraftsamla)',
  'roles.configured': '{name} (i konfigurationen)',
  'roles.none': 'ingen ännu – ange PROGRAM_ADMINS i konfigurationen',
  'help.admins': 'Programadministratörer: {admins}',
  'help.cmd.admin':
    'visar programadministratörerna; admin lägg till <e-post eller @namn> och admin ta bort <…> ändrar dem. En administratör kan skicka handlingsplanen (xlsx eller csv) till mig i en personlig chatt',
  'link.forbidden': 'Bara en programadministratör kan koppla kanaler. Programadministratörer: {admins}.',
  'install.firstAdmin':
    '{name}, du installerade Kraftsamla först och är nu programadministratör: du kopplar kanaler (koppla bostäder) och utser fler administratörer (admin lägg till).',
  'admin.list': 'Programadministratörer: {admins}.',
  'admin.usage':
    'Skriv admin för att se programadministratörerna, admin lägg till <e-post, objekt-id eller @namn> eller admin ta bort <e-post eller namn>.',
  'admin.added': '{who} är nu programadministratör.',
  'admin.already': '{who} är redan programadministratör.',
  'admin.removed': '{who} är inte längre programadministratör.',
  'admin.configuredOnly': '{who} står i konfigurationen (PROGRAM_ADMINS eller programfilen) och tas bort där.',
  'admin.notGiven': '{who} är ingen programadministratör som lagts till i Teams.',
  'admin.last': '{who} är den sista programadministratören och kan inte tas bort. Lägg till en annan först.',
  'admin.badTarget': '"{value}" är varken en e-postadress, ett objekt-id eller ett @-omnämnande.',
  'admin.lookupFailed': 'Jag kunde inte slå upp personen i teamet just nu. Försök igen, eller skriv e-postadressen.',
};

export const en: Record<keyof typeof sv, string> = {
  'roles.role.admin': 'program admin',
  'roles.installer': '{name} (installed Kraftsamla)',
  'roles.configured': '{name} (in the configuration)',
  'roles.none': 'none yet – set PROGRAM_ADMINS in the configuration',
  'help.admins': 'Program admins: {admins}',
  'help.cmd.admin':
    'shows the program admins; admin add <e-mail or @name> and admin remove <…> change them. An admin can send me the action plan (xlsx or csv) in a personal chat',
  'link.forbidden': 'Only a program admin can link channels. Program admins: {admins}.',
  'install.firstAdmin':
    '{name}, you installed Kraftsamla first and are now a program admin: you link channels (link housing) and name more admins (admin add).',
  'admin.list': 'Program admins: {admins}.',
  'admin.usage':
    'Type admin to see the program admins, admin add <e-mail, object id or @name> or admin remove <e-mail or name>.',
  'admin.added': '{who} is now a program admin.',
  'admin.already': '{who} is already a program admin.',
  'admin.removed': '{who} is no longer a program admin.',
  'admin.configuredOnly':
    '{who} is named in the configuration (PROGRAM_ADMINS or the program file) and is removed there.',
  'admin.notGiven': '{who} is not a program admin added in Teams.',
  'admin.last': '{who} is the last program admin and cannot be removed. Add another one first.',
  'admin.badTarget': '"{value}" is neither an e-mail address, an object id nor an @mention.',
  'admin.lookupFailed': 'I could not look the person up in the team just now. Try again, or type their e-mail address.',
};
