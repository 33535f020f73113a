// The password reset page's text (reset.js), for translators; the rest of the page's words are in reset.html.
export const TEXT = Object.freeze({
  setting: 'Setting…',
  done: (username) => `Your password is set, ${username}, and you were signed out everywhere.`,
});
