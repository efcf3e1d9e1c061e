/**
 * The program overview tab in the package. The bot serves the tab on its own host, which is not
 * known when the manifest is written: the committed manifest names PLACEHOLDER_HOST in the tabs'
 * addresses, in `validDomains` and in the SSO resource (`webApplicationInfo`), and the packager
 * puts the real host there. Without a host it leaves those parts out, so a bot-only package
 * (the Agents Playground, a sideload for testing) still works. On top of the JSON schema: what
 * Teams asks of tabs (https, every tab's host among the valid domains, the SSO resource on that
 * host with the app's id), and the tab names in the localisation files.
 */
import { t, type TextKey } from '../../domain/i18n';
import type { Locale } from '../../domain/types';
import { asArray, isObject, type Json, type JsonObject, PLACEHOLDER_ID } from './common';
import type { LocalizationSource } from './source';

/**
 * The host the committed manifest names for the packager to fill in. `.invalid` is reserved
 * (RFC 2606): it never resolves, so a package that kept it could not reach anyone by mistake.
 */
export const PLACEHOLDER_HOST = 'kraftsamla.invalid';

/** The manifest's tab addresses: where each kind of tab keeps them. */
const TAB_URL_FIELDS = {
  staticTabs: ['contentUrl', 'websiteUrl', 'searchUrl'],
  configurableTabs: ['configurationUrl'],
} as const;

type TabList = keyof typeof TAB_URL_FIELDS;
const TAB_LISTS = Object.keys(TAB_URL_FIELDS) as TabList[];

export type HostProblem = 'scheme' | 'path' | 'port' | 'name';

const HOST_TEXTS: Record<HostProblem, TextKey> = {
  scheme: 'cli.package.host.scheme',
  path: 'cli.package.host.path',
  port: 'cli.package.host.port',
  name: 'cli.package.host.name',
};

const DNS_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * Why `value` is not a bare, fully qualified DNS name (`kraftsamla.kommun.se`), or undefined when
 * it is one: no scheme, no path, no port (Teams opens tabs on https, port 443), at least two
 * labels of letters, digits and hyphens, and not an IP address.
 */
export function hostProblem(value: string): HostProblem | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return 'scheme';
  if (/[/?#\\]/.test(value)) return 'path';
  if (/^[^:]+:\d*$/.test(value)) return 'port';
  const labels = value.toLowerCase().split('.');
  const tld = labels[labels.length - 1] ?? '';
  if (value.length > 253 || labels.length < 2 || !labels.every((l) => DNS_LABEL.test(l)) || /^\d+$/.test(tld)) {
    return 'name';
  }
  return undefined;
}

/** What is wrong with the host `value` given as `name` (`--host`, `BOT_DOMAIN`), or undefined. */
export function hostProblemText(locale: Locale, name: string, value: string): string | undefined {
  const problem = hostProblem(value);
  return problem && t(locale, HOST_TEXTS[problem], { name, value });
}

/** Host names are case-insensitive; the App ID URI wants it in lower case. */
export function normalizeHost(host: string): string {
  return host.toLowerCase();
}

const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const PLACEHOLDER_URL = new RegExp(`^(https?://)${escaped(PLACEHOLDER_HOST)}(?=[/:?#]|$)`, 'i');
const PLACEHOLDER_RESOURCE = new RegExp(`^api://${escaped(PLACEHOLDER_HOST)}/`, 'i');

function onPlaceholderHost(tab: Json, list: TabList): boolean {
  return isObject(tab) && TAB_URL_FIELDS[list].some((f) => typeof tab[f] === 'string' && PLACEHOLDER_URL.test(tab[f]));
}

/** Whether the manifest has parts on the placeholder host (tabs, valid domains, SSO). */
export function usesPlaceholderHost(manifest: JsonObject): boolean {
  const sso = manifest.webApplicationInfo;
  return (
    TAB_LISTS.some((list) => asArray(manifest[list]).some((tab) => onPlaceholderHost(tab, list))) ||
    asArray(manifest.validDomains).some((d) => typeof d === 'string' && d.toLowerCase() === PLACEHOLDER_HOST) ||
    (isObject(sso) && typeof sso.resource === 'string' && PLACEHOLDER_RESOURCE.test(sso.resource))
  );
}

/**
 * Puts `host` where the manifest (a copy, changed in place) names the placeholder host, and the
 * bot id into the SSO registration (`webApplicationInfo`: the id, and `botid-<id>` in its resource,
 * the Application ID URI of the bot's Entra app), or the tab's own app registration when given.
 */
export function fillHost(manifest: JsonObject, host: string, botId: string | undefined, tabAppId?: string): void {
  for (const list of TAB_LISTS) {
    for (const tab of asArray(manifest[list])) {
      if (!isObject(tab)) continue;
      for (const field of TAB_URL_FIELDS[list]) {
        const url = tab[field];
        if (typeof url === 'string') tab[field] = url.replace(PLACEHOLDER_URL, `$1${host}`);
      }
    }
  }
  if (Array.isArray(manifest.validDomains)) {
    const domains = manifest.validDomains.map((d) =>
      typeof d === 'string' && d.toLowerCase() === PLACEHOLDER_HOST ? host : d,
    );
    manifest.validDomains = domains.filter((d, i) => domains.indexOf(d) === i);
  }
  const sso = manifest.webApplicationInfo;
  if (isObject(sso)) {
    if (tabAppId) {
      // An app registration of its own for the tab: its id, and its URI without the bot's prefix.
      sso.id = tabAppId;
      sso.resource = `api://${host}/${tabAppId}`;
    } else {
      if (botId && sso.id === PLACEHOLDER_ID) sso.id = botId;
      if (typeof sso.resource === 'string') {
        let resource = sso.resource.replace(PLACEHOLDER_RESOURCE, `api://${host}/`);
        if (botId) resource = resource.replace(new RegExp(`/botid-${PLACEHOLDER_ID}$`, 'i'), `/botid-${botId}`);
        sso.resource = resource;
      }
    }
  }
}

const STATIC_TAB_NAME_KEY = /^staticTabs\[(\d+)\]\.name$/;

/**
 * Leaves out what needs the host: the tabs on the placeholder host, the placeholder among the
 * valid domains and the SSO registration on it (the manifest, a copy, is changed in place). The
 * localisation files follow: a left-out static tab's name goes, a later one's key moves to its
 * new index. Returns the localisation files as they are to be packed.
 */
export function leaveOutTabs(manifest: JsonObject, localizations: readonly LocalizationSource[]): LocalizationSource[] {
  let staticIndex = new Map<number, number>();
  for (const list of TAB_LISTS) {
    if (!Array.isArray(manifest[list])) continue;
    const tabs = asArray(manifest[list]);
    const kept = tabs.filter((tab) => !onPlaceholderHost(tab, list));
    if (list === 'staticTabs') staticIndex = new Map(kept.map((tab, i) => [tabs.indexOf(tab), i]));
    if (kept.length > 0) manifest[list] = kept;
    else delete manifest[list];
  }
  if (Array.isArray(manifest.validDomains)) {
    const domains = manifest.validDomains.filter(
      (d) => !(typeof d === 'string' && d.toLowerCase() === PLACEHOLDER_HOST),
    );
    if (domains.length > 0) manifest.validDomains = domains;
    else delete manifest.validDomains;
  }
  const sso = manifest.webApplicationInfo;
  if (isObject(sso) && typeof sso.resource === 'string' && PLACEHOLDER_RESOURCE.test(sso.resource)) {
    delete manifest.webApplicationInfo;
  }

  return localizations.map((loc) => {
    const keys = Object.keys(loc.content);
    if (!keys.some((k) => STATIC_TAB_NAME_KEY.test(k))) return loc;
    const content: JsonObject = {};
    for (const key of keys) {
      const m = STATIC_TAB_NAME_KEY.exec(key);
      if (!m) content[key] = loc.content[key];
      else {
        const to = staticIndex.get(Number(m[1]));
        if (to !== undefined) content[`staticTabs[${to}].name`] = loc.content[key];
      }
    }
    return { ...loc, content };
  });
}

/** Whether `host` is one of the valid domains (`*.example.se` stands for one label). */
function isValidDomain(host: string, domains: readonly string[]): boolean {
  const h = host.toLowerCase();
  return domains.some((d) => {
    const domain = d.toLowerCase();
    if (domain === h) return true;
    if (!domain.startsWith('*.')) return false;
    const rest = domain.slice(1);
    return h.endsWith(rest) && h.length > rest.length && !h.slice(0, -rest.length).includes('.');
  });
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

/**
 * What Teams asks of the tabs beyond the schema (which takes any http(s) address): https, the
 * host of every tab among the valid domains, and the SSO resource `api://<a valid domain>/<id>`
 * or `api://<a valid domain>/botid-<id>` with the id of `webApplicationInfo`.
 */
export function checkTabs(manifest: JsonObject, errors: string[], locale: Locale): void {
  const domains = asArray(manifest.validDomains).filter((d): d is string => typeof d === 'string');
  for (const list of TAB_LISTS) {
    asArray(manifest[list]).forEach((tab, i) => {
      if (!isObject(tab)) return;
      for (const field of TAB_URL_FIELDS[list]) {
        const url = tab[field];
        if (typeof url !== 'string') continue;
        const where = `manifest.json /${list}/${i}/${field}`;
        const host = hostOf(url);
        if (!/^https:\/\//i.test(url)) errors.push(t(locale, 'cli.package.tab.notHttps', { where, url }));
        else if (host && !isValidDomain(host, domains)) {
          errors.push(t(locale, 'cli.package.tab.notValidDomain', { where, url, host }));
        }
      }
    });
  }
  const sso = manifest.webApplicationInfo;
  if (isObject(sso) && typeof sso.resource === 'string' && typeof sso.id === 'string') {
    const m = /^api:\/\/([^/]+)\/(?:botid-)?([^/]+)$/i.exec(sso.resource);
    if (!m || !isValidDomain(m[1]!, domains) || m[2]!.toLowerCase() !== sso.id.toLowerCase()) {
      errors.push(t(locale, 'cli.package.sso.resource', { resource: sso.resource, id: sso.id }));
    }
  }
}

/**
 * The static tabs' names in a localisation file: one for each named tab (or the other language
 * shows the default one), none for a tab that is not there (Teams would ignore it).
 */
export function checkTabLocalization(
  manifest: JsonObject,
  loc: LocalizationSource,
  errors: string[],
  locale: Locale,
): void {
  const tabs = asArray(manifest.staticTabs);
  for (const key of Object.keys(loc.content)) {
    const m = STATIC_TAB_NAME_KEY.exec(key);
    if (m && !isObject(tabs[Number(m[1])] ?? null)) {
      errors.push(t(locale, 'cli.package.loc.noSuchTab', { file: loc.file, key }));
    }
  }
  tabs.forEach((tab, i) => {
    const key = `staticTabs[${i}].name`;
    if (isObject(tab) && typeof tab.name === 'string' && typeof loc.content[key] !== 'string') {
      errors.push(t(locale, 'cli.package.loc.missingKey', { file: loc.file, key, value: tab.name }));
    }
  });
}
