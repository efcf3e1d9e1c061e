// @ts-check
/*
 * The channel tab's configuration page: the view the tab opens with. Teams enables Save once the
 * page says it is valid, and saves the tab's address from here.
 */
(function () {
  'use strict';
  const teams = /** @type {any} */ (window).microsoftTeams;
  const select = /** @type {HTMLSelectElement} */ (document.getElementById('ks-view'));
  if (!teams) return;
  void teams.app.initialize().then(() => {
    const base = `${location.origin}/tab`;
    teams.pages.config.registerOnSaveHandler((/** @type {any} */ saveEvent) => {
      const view = select.value || 'plan';
      void teams.pages.config
        .setConfig({
          entityId: `kraftsamla-overview-${view}`,
          contentUrl: `${base}?view=${encodeURIComponent(view)}`,
          websiteUrl: `${base}?view=${encodeURIComponent(view)}`,
          suggestedDisplayName: document.body.dataset.name || 'Programöversikt',
        })
        .then(
          () => saveEvent.notifySuccess(),
          (/** @type {unknown} */ err) => saveEvent.notifyFailure(String(err)),
        );
    });
    teams.pages.config.setValidityState(true);
  });
})();
