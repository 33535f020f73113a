// The text of what every page shares (api.js, ui.js), for translators: the sentences and labels those scripts show.
export const TEXT = Object.freeze({
  networkError: 'Could not reach Latch. Check your connection and try again.',
  httpError: (status) => `Latch answered with HTTP ${status}. Try again in a moment.`,
  signingOut: 'Signing out…',
  pageError: 'Something went wrong in this page. Reload it and try again.',
  /** What the live password-length hint says (wirePasswordLength). */
  passwordLength: {
    empty: (min) => `At least ${min} characters.`,
    short: (n, min) => `${n} of at least ${min} characters.`,
    enough: (n) => `${n} characters: long enough.`,
    long: (n, max) => `${n} characters: at most ${max}.`,
  },
  fieldProblem: (label, message) => `${label}: ${message}`,
  passwordsDiffer: 'The two passwords do not match.',
  show: 'Show',
  hide: 'Hide',
  unknownDevice: 'Unknown device',
  browserOn: (browser, os) => `${browser} on ${os}`,
});
