// The linked sign-ins section's text (identities.js, on the account page), for translators.
export const TEXT = Object.freeze({
  unlink: 'Unlink',
  reallyUnlink: 'Really unlink?',
  unlinking: 'Unlinking…',
  unlinked: (name) => `Unlinked ${name}.`,
  linked: ' · linked ',
  lastUsed: ' · last used ',
  opening: 'Opening…',
});
