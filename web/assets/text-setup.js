// The first-run page's text (setup.js), for translators; the rest of the page's words are in setup.html.
export const TEXT = Object.freeze({
  creating: 'Creating admin…',
});
