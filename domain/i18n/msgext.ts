/** Texts of "Logga som beslut", the message extension's dialog: Swedish first, English typed by it (see core.ts). */
export const sv = {
  'msgext.title': 'Logga som beslut',
  'msgext.intro': 'Formuläret är ifyllt från meddelandet. Kontrollera rubriken och texten innan du sparar.',
  'msgext.postTo': 'Lägg ut det loggade beslutet',
  'msgext.postTo.here': 'I den här konversationen',
  'msgext.postTo.steering': 'I styrgruppens kanal ({channel})',
  'msgext.forbidden':
    'Bara styrgruppens ledamöter kan logga beslut, så inget har sparats. Beslutsloggen kan alla läsa: skriv beslutslogg.',
  'msgext.logged': 'Beslutet är loggat som {number}. Det läggs ut {where}.',
  'msgext.logged.here': 'i den här konversationen',
  'msgext.logged.steering': 'i styrgruppens kanal',
  'msgext.postedInstead':
    'Beslut {number} loggades från ett meddelande i en konversation där Kraftsamla inte finns, så det läggs ut här i stället. Lägg till Kraftsamla där för att få besluten i konversationen.',
  'msgext.duplicate': 'Det här beslutet var redan loggat som {number}.',
  'msgext.unknownCommand': 'Det här kommandot känner jag inte till. Uppdatera appen och försök igen.',
} as const;

export const en: Record<keyof typeof sv, string> = {
  'msgext.title': 'Log as decision',
  'msgext.intro': 'The form is filled in from the message. Check the title and the text before you save.',
  'msgext.postTo': 'Post the logged decision',
  'msgext.postTo.here': 'In this conversation',
  'msgext.postTo.steering': "In the steering group's channel ({channel})",
  'msgext.forbidden':
    'Only members of the steering group can log decisions, so nothing was saved. Anyone can read the decision log: type decisions.',
  'msgext.logged': 'The decision is logged as {number}. It is posted {where}.',
  'msgext.logged.here': 'in this conversation',
  'msgext.logged.steering': "in the steering group's channel",
  'msgext.postedInstead':
    'Decision {number} was logged from a message in a conversation Kraftsamla is not part of, so it is posted here instead. Add Kraftsamla there to get the decisions in the conversation.',
  'msgext.duplicate': 'This decision was already logged as {number}.',
  'msgext.unknownCommand': 'I do not know this command. Update the app and try again.',
};
