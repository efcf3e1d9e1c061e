/**
 * The tab's host in the packager (cli/app-package/tabs.ts): which hosts are bare DNS names, the
 * host filled in where the manifest names the placeholder, the tab parts left out without one
 * (with the localisation keys following the tabs that stay), and what Teams asks of tabs.
 */
import {
  checkTabs,
  fillManifest,
  hostProblem,
  hostProblemText,
  type JsonObject,
  leaveOutTabs,
  PLACEHOLDER_HOST,
  PLACEHOLDER_ID,
  usesPlaceholderHost,
} from '../../../cli/app-package';

const BOT_ID = '3f2a6c1e-8d4b-4f7a-9c2e-1b5d7e9f0a12';

describe('hostProblem', () => {
  it.each([
    ['kraftsamla.example.se', undefined],
    ['Kraftsamla.Example.SE', undefined],
    ['abcd1234-3978.euw.devtunnels.ms', undefined],
    ['kraftsamlahnd01.azurewebsites.net', undefined],
    ['https://x', 'scheme'],
    ['https://kraftsamla.example.se/', 'scheme'],
    ['http://kraftsamla.example.se', 'scheme'],
    ['x/y', 'path'],
    ['kraftsamla.example.se/tab', 'path'],
    ['kraftsamla.example.se?x=1', 'path'],
    ['kraftsamla.example.se:8443', 'port'],
    ['kraftsamla.example.se:', 'port'],
    ['localhost', 'name'],
    ['x', 'name'],
    ['', 'name'],
    ['kraftsamla.example.se.', 'name'],
    ['*.example.se', 'name'],
    ['-x.example.se', 'name'],
    ['x-.example.se', 'name'],
    ['kraft samla.se', 'name'],
    ['anna@kraftsamla.se', 'name'],
    ['10.0.0.1', 'name'],
    ['[::1]', 'name'],
    [`${'a'.repeat(64)}.se`, 'name'],
  ])('%j → %s', (value, problem) => {
    expect(hostProblem(value)).toBe(problem);
  });

  it('says what is wrong in Swedish and English, naming where the host came from', () => {
    expect(hostProblemText('sv-SE', '--host', 'https://x')).toBe(
      '--host "https://x": ange bara värdnamnet, utan "https://" (t.ex. kraftsamla.kommun.se)',
    );
    expect(hostProblemText('en-US', 'BOT_DOMAIN', 'x/y')).toBe(
      'BOT_DOMAIN "x/y": give the host name only, without a path (e.g. kraftsamla.kommun.se)',
    );
    expect(hostProblemText('sv-SE', '--host', 'kraftsamla.example.se')).toBeUndefined();
  });
});

/** A manifest with two static tabs (the second on a host of its own), a configurable tab and SSO. */
function twoTabs(): JsonObject {
  return {
    id: PLACEHOLDER_ID,
    staticTabs: [
      {
        entityId: 'overview',
        name: 'Program overview',
        contentUrl: `https://${PLACEHOLDER_HOST}/tab?view=plan`,
        scopes: ['personal'],
      },
      { entityId: 'help', name: 'Help', contentUrl: 'https://help.example.se/kraftsamla', scopes: ['personal'] },
    ],
    configurableTabs: [{ configurationUrl: `https://${PLACEHOLDER_HOST}/tab/config`, scopes: ['team'] }],
    validDomains: [PLACEHOLDER_HOST, 'help.example.se'],
    webApplicationInfo: { id: PLACEHOLDER_ID, resource: `api://${PLACEHOLDER_HOST}/botid-${PLACEHOLDER_ID}` },
  };
}

describe('filling in the host', () => {
  it('puts the host in the tab addresses, the valid domains and the SSO resource, with the bot id', () => {
    const filled = fillManifest(twoTabs(), { botId: BOT_ID, host: 'Kraftsamla.Example.SE' });
    expect(filled).toEqual({
      id: BOT_ID,
      staticTabs: [
        expect.objectContaining({ contentUrl: 'https://kraftsamla.example.se/tab?view=plan' }),
        expect.objectContaining({ contentUrl: 'https://help.example.se/kraftsamla' }),
      ],
      configurableTabs: [{ configurationUrl: 'https://kraftsamla.example.se/tab/config', scopes: ['team'] }],
      validDomains: ['kraftsamla.example.se', 'help.example.se'],
      webApplicationInfo: { id: BOT_ID, resource: `api://kraftsamla.example.se/botid-${BOT_ID}` },
    });
    expect(usesPlaceholderHost(filled)).toBe(false);
    const errors: string[] = [];
    checkTabs(filled, errors, 'en-US');
    expect(errors).toEqual([]);
  });

  it('lists a host that is already a valid domain once', () => {
    const filled = fillManifest(twoTabs(), { host: 'help.example.se' });
    expect(filled.validDomains).toEqual(['help.example.se']);
    // No bot id: the SSO keeps the placeholder id (the packager warns about the bot id).
    expect(filled.webApplicationInfo).toEqual({
      id: PLACEHOLDER_ID,
      resource: `api://help.example.se/botid-${PLACEHOLDER_ID}`,
    });
  });

  it('refuses a host that is not a bare DNS name', () => {
    expect(() => fillManifest(twoTabs(), { host: 'https://x' })).toThrow(
      'host "https://x": give the host name only, without "https://"',
    );
  });
});

describe('leaving the tab out without a host', () => {
  it('drops what is on the placeholder host and moves the later tab names down', () => {
    const manifest = twoTabs();
    expect(usesPlaceholderHost(manifest)).toBe(true);
    const sv = {
      languageTag: 'sv-se',
      file: 'sv-se.json',
      content: { 'name.short': 'Kraftsamla', 'staticTabs[0].name': 'Programöversikt', 'staticTabs[1].name': 'Hjälp' },
    };
    const other = { languageTag: 'de-de', file: 'de-de.json', content: { 'name.short': 'Kraftsamla' } };
    const help = (twoTabs().staticTabs as JsonObject[])[1];
    const [svOut, otherOut] = leaveOutTabs(manifest, [sv, other]);
    expect(manifest).toEqual({
      id: PLACEHOLDER_ID,
      staticTabs: [help],
      validDomains: ['help.example.se'],
    });
    expect(svOut!.content).toEqual({ 'name.short': 'Kraftsamla', 'staticTabs[0].name': 'Hjälp' });
    // A file without tab names is passed on as it was.
    expect(otherOut).toBe(other);
    expect(usesPlaceholderHost(manifest)).toBe(false);
  });

  it('removes the lists when nothing is left in them', () => {
    const manifest = twoTabs();
    manifest.staticTabs = [(manifest.staticTabs as JsonObject[])[0]!];
    manifest.validDomains = [PLACEHOLDER_HOST];
    leaveOutTabs(manifest, []);
    expect(manifest).toEqual({ id: PLACEHOLDER_ID });
  });
});

describe('what Teams asks of tabs', () => {
  const check = (manifest: JsonObject) => {
    const errors: string[] = [];
    checkTabs(manifest, errors, 'en-US');
    return errors;
  };

  it('passes the committed shape, placeholders and all', () => {
    expect(check(twoTabs())).toEqual([]);
  });

  it('wants https, every tab host among the valid domains, and the SSO resource on one with the app id', () => {
    const m = twoTabs();
    (m.staticTabs as JsonObject[])[0]!.contentUrl = `http://${PLACEHOLDER_HOST}/tab`;
    m.validDomains = [PLACEHOLDER_HOST];
    m.webApplicationInfo = { id: BOT_ID, resource: `api://${PLACEHOLDER_HOST}/botid-${PLACEHOLDER_ID}` };
    expect(check(m)).toEqual([
      `manifest.json /staticTabs/0/contentUrl: "http://${PLACEHOLDER_HOST}/tab" must be an https URL`,
      'manifest.json /staticTabs/1/contentUrl: the host help.example.se of "https://help.example.se/kraftsamla" is not in validDomains',
      `manifest.json /webApplicationInfo/resource: "api://${PLACEHOLDER_HOST}/botid-${PLACEHOLDER_ID}" must be api://<a host in validDomains>/botid-${BOT_ID} (or /${BOT_ID})`,
    ]);
  });

  it('takes a wildcard domain for one label, and the resource without botid-', () => {
    const m = twoTabs();
    m.validDomains = [PLACEHOLDER_HOST, '*.example.se'];
    m.webApplicationInfo = { id: BOT_ID, resource: `api://${PLACEHOLDER_HOST}/${BOT_ID}` };
    expect(check(m)).toEqual([]);
    (m.staticTabs as JsonObject[])[1]!.contentUrl = 'https://a.help.example.se/kraftsamla';
    expect(check(m)).toEqual([
      'manifest.json /staticTabs/1/contentUrl: the host a.help.example.se of "https://a.help.example.se/kraftsamla" is not in validDomains',
    ]);
  });
});
