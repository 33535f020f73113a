// The home page's text (index.js), for translators; the rest of the page's words are in index.html.
export const TEXT = Object.freeze({
  greeting: (name) => `Hello, ${name}`,
  role: { admin: 'an administrator', editor: 'an editor', viewer: 'a viewer' },
  signingOut: 'Signing out…',
});
