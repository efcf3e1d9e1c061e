/**
 * The manifest: filling in the ids, the publisher and the tab's host, and everything checked
 * before it is zipped. The JSON schema (./schema.ts) comes first; on top of it what the schema
 * leaves out but Teams or its docs require: the icons' pixel sizes and colours (./icons.ts), the
 * command-menu limits, https URLs, the tabs and their SSO (./tabs.ts), and that the localisation
 * files match the manifest.
 */
import { t } from '../../domain/i18n';
import type { Locale, ProgramDeveloper } from '../../domain/types';
import { API_LOCALE, AppPackageError, asArray, isObject, type Json, type JsonObject, PLACEHOLDER_ID } from './common';
import { checkIcon } from './icons';
import { loadBundledSchemas, type TeamsSchemas, validateAgainstSchema } from './schema';
import type { LocalizationSource, ManifestSource } from './source';
import { checkTabLocalization, checkTabs, fillHost, hostProblemText, normalizeHost } from './tabs';

/**
 * Limits of the bot command menu from the Teams docs ("Create a commands menu"): the JSON
 * schema allows more (12 commands, 128-character titles, 4 000-character descriptions), but
 * the menu shows at most 10 commands and cuts titles after 32 and descriptions after 128.
 */
export const COMMAND_MENU_LIMITS = Object.freeze({ commandsPerList: 10, title: 32, description: 128 });

const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

export interface AppIds {
  /** The bot's Microsoft App ID (Entra app client id): `bots[].botId`. */
  botId?: string;
  /** The Teams app id (`id`); defaults to the bot id, the usual choice for a bot-only app. */
  teamsAppId?: string;
  /** The publisher (the program definition's `developer`); the manifest's own when absent. */
  developer?: ProgramDeveloper;
  /**
   * The bot's public host (`kraftsamla.kommun.se`): the tabs, the valid domains and the SSO
   * resource are put there. Absent: they keep the placeholder host.
   */
  host?: string;
  /**
   * The Entra app the tab's SSO is registered on when it is not the bot's own (a bot running as a
   * managed identity): `webApplicationInfo.id`, and `api://<host>/<id>` as its resource.
   */
  tabAppId?: string;
}

/**
 * A copy of the manifest with the ids, the developer and the host filled in; what is not given
 * keeps what the file has (the developer's other fields, such as `mpnId`, stay).
 */
export function fillManifest(manifest: JsonObject, ids: AppIds, locale: Locale = API_LOCALE): JsonObject {
  for (const [name, value] of [
    ['cli.package.botIdName', ids.botId],
    ['cli.package.teamsAppIdName', ids.teamsAppId],
  ] as const) {
    if (value !== undefined && !isGuid(value)) {
      throw new AppPackageError([t(locale, 'cli.package.notGuid', { name: t(locale, name), value })], locale);
    }
  }
  const hostProblem =
    ids.host === undefined ? undefined : hostProblemText(locale, t(locale, 'cli.package.hostName'), ids.host);
  if (hostProblem) throw new AppPackageError([hostProblem], locale);
  const filled = JSON.parse(JSON.stringify(manifest)) as JsonObject;
  const appId = ids.teamsAppId ?? ids.botId;
  if (appId) filled.id = appId;
  if (ids.botId) {
    for (const bot of asArray(filled.bots)) if (isObject(bot)) bot.botId = ids.botId;
    // The message extension is the bot's own (same id), so the bot can post what its dialog logs.
    for (const ext of asArray(filled.composeExtensions)) if (isObject(ext)) ext.botId = ids.botId;
  }
  if (ids.developer) {
    const { name, websiteUrl, privacyUrl, termsOfUseUrl } = ids.developer;
    filled.developer = {
      ...(isObject(filled.developer) ? filled.developer : {}),
      name,
      websiteUrl,
      privacyUrl,
      termsOfUseUrl,
    };
  }
  if (ids.tabAppId !== undefined && !isGuid(ids.tabAppId))
    throw new AppPackageError([t(locale, 'cli.package.notGuid', { name: 'TAB_APP_ID', value: ids.tabAppId })], locale);
  if (ids.host !== undefined) fillHost(filled, normalizeHost(ids.host), ids.botId, ids.tabAppId);
  return filled;
}

export interface ValidationReport {
  errors: string[];
  warnings: string[];
}

function manifestVersionOf(manifest: JsonObject): string | undefined {
  return typeof manifest.manifestVersion === 'string' ? manifest.manifestVersion : undefined;
}

function checkSchemaUrl(
  fileName: string,
  doc: JsonObject,
  manifestVersion: string,
  errors: string[],
  locale: Locale,
): void {
  const url = doc.$schema;
  if (typeof url === 'string' && !url.includes(`/v${manifestVersion}/`)) {
    errors.push(t(locale, 'cli.package.schemaMismatch', { file: fileName, url, version: manifestVersion }));
  }
}

function checkCommandMenus(manifest: JsonObject, errors: string[], locale: Locale): void {
  asArray(manifest.bots).forEach((bot, b) => {
    if (!isObject(bot)) return;
    asArray(bot.commandLists).forEach((list, l) => {
      if (!isObject(list)) return;
      const where = `manifest.json /bots/${b}/commandLists/${l}`;
      const commands = asArray(list.commands);
      if (commands.length > COMMAND_MENU_LIMITS.commandsPerList) {
        errors.push(
          t(locale, 'cli.package.menu.tooMany', {
            where,
            count: commands.length,
            max: COMMAND_MENU_LIMITS.commandsPerList,
          }),
        );
      }
      const seen = new Set<string>();
      commands.forEach((cmd, c) => {
        if (!isObject(cmd)) return;
        checkTitle(`${where}/commands/${c}/title`, cmd.title, errors, locale);
        checkDescription(`${where}/commands/${c}/description`, cmd.description, errors, locale);
        if (typeof cmd.title === 'string') {
          const key = cmd.title.trim().toLowerCase();
          if (seen.has(key))
            errors.push(
              t(locale, 'cli.package.menu.titleTwice', { where: `${where}/commands/${c}/title`, title: cmd.title }),
            );
          seen.add(key);
        }
      });
    });
  });
}

function checkTitle(label: string, title: Json | undefined, errors: string[], locale: Locale): void {
  if (typeof title !== 'string') return;
  if (title.trim() === '') errors.push(t(locale, 'cli.package.menu.empty', { where: label }));
  if (title.length > COMMAND_MENU_LIMITS.title) {
    errors.push(
      t(locale, 'cli.package.menu.titleTooLong', {
        where: label,
        title,
        length: title.length,
        max: COMMAND_MENU_LIMITS.title,
      }),
    );
  }
}

function checkDescription(label: string, description: Json | undefined, errors: string[], locale: Locale): void {
  if (typeof description === 'string' && description.length > COMMAND_MENU_LIMITS.description) {
    errors.push(
      t(locale, 'cli.package.menu.descriptionTooLong', {
        where: label,
        length: description.length,
        max: COMMAND_MENU_LIMITS.description,
      }),
    );
  }
}

const LOCALIZED_COMMAND_KEY = /^bots\[(\d+)\]\.commandLists\[(\d+)\]\.commands\[(\d+)\]\.(title|description)$/;

function commandAt(manifest: JsonObject, b: number, l: number, c: number): JsonObject | undefined {
  const bot = asArray(manifest.bots)[b];
  const list = isObject(bot) ? asArray(bot.commandLists)[l] : undefined;
  const cmd = isObject(list) ? asArray(list.commands)[c] : undefined;
  return isObject(cmd) ? cmd : undefined;
}

/**
 * A localisation file must translate what the manifest has and nothing it lacks: a key for a
 * command that is not there is silently ignored by Teams, a command without a key shows the
 * default language in the other one.
 */
function checkLocalizationMatchesManifest(
  manifest: JsonObject,
  loc: LocalizationSource,
  errors: string[],
  locale: Locale,
): void {
  for (const [key, value] of Object.entries(loc.content)) {
    const m = LOCALIZED_COMMAND_KEY.exec(key);
    if (!m) continue;
    const [b, l, c] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const cmd = commandAt(manifest, b, l, c);
    if (!cmd) {
      errors.push(t(locale, 'cli.package.loc.noSuchCommand', { file: loc.file, key }));
    } else if (m[4] === 'title') {
      checkTitle(`${loc.file} "${key}"`, value, errors, locale);
    } else {
      checkDescription(`${loc.file} "${key}"`, value, errors, locale);
    }
  }
  asArray(manifest.bots).forEach((bot, b) => {
    if (!isObject(bot)) return;
    asArray(bot.commandLists).forEach((list, l) => {
      if (!isObject(list)) return;
      asArray(list.commands).forEach((cmd, c) => {
        if (!isObject(cmd)) return;
        for (const field of ['title', 'description'] as const) {
          const key = `bots[${b}].commandLists[${l}].commands[${c}].${field}`;
          if (typeof cmd[field] === 'string' && typeof loc.content[key] !== 'string') {
            errors.push(t(locale, 'cli.package.loc.missingKey', { file: loc.file, key, value: String(cmd[field]) }));
          }
        }
      });
    });
  });
}

function checkDeveloperUrls(manifest: JsonObject, errors: string[], warnings: string[], locale: Locale): void {
  const dev = manifest.developer;
  if (!isObject(dev)) return;
  const placeholders: string[] = [];
  for (const key of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl']) {
    const url = dev[key];
    if (typeof url !== 'string') continue;
    if (!/^https:\/\//i.test(url)) errors.push(t(locale, 'cli.package.url.notHttps', { key, url }));
    else if (/^https:\/\/([^/]+\.)?example\.(org|com|net)(\/|$)/i.test(url)) placeholders.push(key);
  }
  if (placeholders.length > 0) {
    const key = placeholders.length === 1 ? 'cli.package.url.placeholder.one' : 'cli.package.url.placeholder.many';
    warnings.push(t(locale, key, { keys: placeholders.join(', ') }));
  }
}

/** Everything we check, on a manifest folder (optionally with the ids filled in). */
export async function validateManifestSource(
  source: ManifestSource,
  manifest: JsonObject = source.manifest,
  locale: Locale = API_LOCALE,
): Promise<ValidationReport> {
  const errors = [...source.problems];
  const warnings: string[] = [];
  const version = manifestVersionOf(manifest);
  if (!version) {
    errors.push(t(locale, 'cli.package.missingVersion'));
    return { errors, warnings };
  }
  let schemas: TeamsSchemas;
  try {
    schemas = loadBundledSchemas(version, locale);
  } catch (err) {
    if (err instanceof AppPackageError) return { errors: [...errors, ...err.problems], warnings };
    throw err;
  }
  errors.push(...(await validateAgainstSchema('manifest.json', manifest, schemas.manifest, locale)));
  checkSchemaUrl('manifest.json', manifest, version, errors, locale);
  checkCommandMenus(manifest, errors, locale);
  checkDeveloperUrls(manifest, errors, warnings, locale);
  checkTabs(manifest, errors, locale);

  for (const loc of source.localizations) {
    errors.push(...(await validateAgainstSchema(loc.file, loc.content, schemas.localization, locale)));
    // The docs: the localisation file must use the same schema version as the manifest.
    checkSchemaUrl(loc.file, loc.content, version, errors, locale);
    checkLocalizationMatchesManifest(manifest, loc, errors, locale);
    checkTabLocalization(manifest, loc, errors, locale);
  }

  const icons = manifest.icons;
  if (isObject(icons)) {
    for (const kind of ['color', 'outline'] as const) {
      const rel = icons[kind];
      const png = typeof rel === 'string' ? source.files.get(rel) : undefined;
      if (typeof rel === 'string' && png) errors.push(...checkIcon(kind, rel, png, locale));
    }
  }

  const botIds = asArray(manifest.bots).map((b) => (isObject(b) ? b.botId : undefined));
  if (botIds.includes(PLACEHOLDER_ID)) {
    warnings.push(
      t(locale, manifest.id === PLACEHOLDER_ID ? 'cli.package.placeholder.botAndApp' : 'cli.package.placeholder.bot', {
        id: PLACEHOLDER_ID,
      }),
    );
  } else if (manifest.id === PLACEHOLDER_ID) {
    warnings.push(t(locale, 'cli.package.placeholder.app', { id: PLACEHOLDER_ID }));
  }
  return { errors, warnings };
}
