// @ts-check
/*
 * The program overview tab in the browser. Inside Teams: starts the Teams JavaScript client
 * library, follows the user's theme and language, and fetches each view with the user's SSO
 * token. In a plain browser (the bot anonymous, local use) it fetches the views without one.
 * Views are HTML rendered on the server; this script only swaps them into <main>, so the page
 * also reads and prints with no script at all.
 */
(function () {
  'use strict';
  const body = document.body;
  const main = /** @type {HTMLElement} */ (document.getElementById('main'));
  const sso = body.dataset.sso === 'true';
  /** @type {() => Promise<string | undefined>} */
  let token = async () => undefined;
  let inTeams = false;

  /** @param {string} theme */
  function applyTheme(theme) {
    document.documentElement.dataset.theme = theme === 'dark' || theme === 'contrast' ? theme : 'default';
  }

  /** @param {string} text */
  function showMessage(text) {
    main.replaceChildren();
    const p = document.createElement('p');
    p.className = 'ks-message';
    p.setAttribute('role', 'alert');
    p.textContent = text;
    main.append(p);
    main.setAttribute('aria-busy', 'false');
  }

  /** @param {string} view */
  function markCurrent(view) {
    for (const a of document.querySelectorAll('nav a[data-view]')) {
      if (/** @type {HTMLElement} */ (a).dataset.view === view) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
  }

  /**
   * Fetches one view and puts it in <main>.
   * @param {URLSearchParams} params the page's query: view, filters, lang
   * @param {boolean} push whether to add a history entry
   */
  async function load(params, push) {
    const view = params.get('view') || 'plan';
    params.set('view', view);
    if (!params.get('lang')) params.set('lang', body.dataset.lang || 'sv');
    markCurrent(view);
    main.setAttribute('aria-busy', 'true');
    /** @type {Record<string, string>} */
    const headers = {};
    try {
      const t = await token();
      if (t) headers.Authorization = `Bearer ${t}`;
    } catch {
      showMessage(body.dataset.textSignIn || '');
      return;
    }
    const rest = new URLSearchParams(params);
    rest.delete('view');
    let res;
    try {
      res = await fetch(`tab/view/${encodeURIComponent(view)}?${rest}`, { headers, credentials: 'same-origin' });
    } catch {
      showMessage(body.dataset.textError || '');
      return;
    }
    const html = await res.text();
    // The server's HTML: every user text in it is escaped there.
    main.innerHTML = html;
    main.setAttribute('aria-busy', 'false');
    if (push) history.pushState(null, '', `tab?${params}`);
    main.focus({ preventScroll: true });
  }

  // Navigation and links between views (protocol links, "clear filters").
  document.addEventListener('click', (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    const a = /** @type {HTMLAnchorElement | null} */ (target.closest('a[data-view]'));
    if (!a || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey) return;
    event.preventDefault();
    void load(new URL(a.href).searchParams, true);
  });

  // Filters: the form's fields become the view's query.
  document.addEventListener('submit', (event) => {
    const form = /** @type {HTMLFormElement} */ (event.target);
    if (!form.matches('form.ks-filters')) return;
    event.preventDefault();
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (typeof value === 'string' && value) params.set(name, value);
    void load(params, true);
  });
  document.addEventListener('change', (event) => {
    const field = /** @type {HTMLElement} */ (event.target);
    const form = field.closest('form.ks-filters');
    if (form && field.tagName === 'SELECT') /** @type {HTMLFormElement} */ (form).requestSubmit();
  });

  window.addEventListener('popstate', () => void load(new URLSearchParams(location.search), false));

  // On paper every table is shown, not only the ones someone opened.
  window.addEventListener('beforeprint', () => {
    for (const d of document.querySelectorAll('details')) d.setAttribute('open', '');
  });

  /** Resolves after `ms`, with `undefined`. @param {number} ms */
  const after = (ms) => new Promise((resolve) => setTimeout(() => resolve(undefined), ms));

  async function start() {
    const teams = /** @type {any} */ (window).microsoftTeams;
    const framed = window.parent !== window;
    if (teams && framed) {
      try {
        // Teams answers at once when it hosts the page; a page framed elsewhere never hears back.
        const ready = await Promise.race([teams.app.initialize().then(() => true), after(5000)]);
        if (ready) {
          inTeams = true;
          const context = await teams.app.getContext();
          applyTheme(context.app.theme);
          teams.app.registerOnThemeChangeHandler(applyTheme);
          const lang = String(context.app.locale || '')
            .toLowerCase()
            .startsWith('en')
            ? 'en'
            : 'sv';
          if (lang !== body.dataset.lang) {
            const params = new URLSearchParams(location.search);
            params.set('lang', lang);
            location.replace(`tab?${params}`);
            return;
          }
          if (sso) token = () => teams.authentication.getAuthToken();
          teams.app.notifySuccess();
        }
      } catch {
        inTeams = false;
      }
    }
    if (sso && !inTeams) {
      showMessage(body.dataset.textOutside || '');
      return;
    }
    if (sso) await load(new URLSearchParams(body.dataset.query || ''), false);
  }

  void start();
})();
