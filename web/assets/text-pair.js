// The device pairing page's text (pair.js), for translators; the rest of the page's words are in pair.html.
export const TEXT = Object.freeze({
  cannotGrant: 'You cannot grant this: your account may not do it.',
  badCode: 'A code is 8 letters, like BCDF-GHJK. Check what your device shows.',
  approvedTitle: 'Approved: go back to your device',
  deniedTitle: 'Denied',
  approved: (client) => `${client} will finish signing in by itself within a few seconds. You can revoke its access any time from your API tokens.`,
  denied: (client) => `${client} was not given access to your account.`,
  checking: 'Checking…',
  noScopeTicked: 'Tick at least one scope to approve, or deny the request.',
  approving: 'Approving…',
  denying: 'Denying…',
});
