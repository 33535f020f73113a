// The registration page's text (register.js), for translators; the rest of the page's words are in register.html.
export const TEXT = Object.freeze({
  invited: 'You have been invited to Latch. Choose a username and a password.',
  invitedAs: (role) => `You have been invited to Latch as ${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}. `
    + 'Choose a username and a password.',
  open: 'Choose a username and a password.',
  inviteNeeded: 'You need an invitation to create an account here.',
  creating: 'Creating account…',
});
