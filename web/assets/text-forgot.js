// The forgot-password page's text (forgot.js), for translators; the rest of the page's words are in forgot.html.
export const TEXT = Object.freeze({
  sending: 'Sending…',
});
