// The account page's text (account.js), for translators; the rest of the page's words are in account.html.
export const TEXT = Object.freeze({
  saving: 'Saving…',
  profileSaved: 'Profile saved.',
  newPasswordsDiffer: 'The two new passwords do not match.',
  changing: 'Changing…',
  passwordChangedTokensRevoked: 'Password changed. You were signed out on every other device, and your API tokens were revoked.',
  passwordChangedTokensKept: 'Password changed. You were signed out on every other device; your API tokens still work.',
  thisDevice: 'This device',
  appSignIn: 'App sign-in',
  browser: 'Browser',
  signOutLabel: (device, ip) => `Sign out ${device} (${ip || 'unknown address'})`,
  signOut: 'Sign out',
  signingOut: 'Signing out…',
  signedOut: (device) => `Signed out ${device}.`,
  signedOutOthers: (n) => (n === 1 ? 'Signed out 1 other session.' : `Signed out ${n} other sessions.`),
  reallySignOutEverywhere: 'Really sign out everywhere?',
  preparing: 'Preparing…',
  dataSaved: (file, sessions, tokens, events) => `Saved ${file}: your profile, ${sessions} sessions, `
    + `${tokens} API tokens and ${events} security events.`,
  reallyDelete: 'Delete for good: sign out everywhere, revoke tokens? Click again',
  deleting: 'Deleting…',
});
