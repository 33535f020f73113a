// The sign-in page's text (login.js), for translators; the rest of the page's words are in login.html.
export const TEXT = Object.freeze({
  signingIn: 'Signing in…',
});
