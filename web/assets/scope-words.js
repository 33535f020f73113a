// Every scope in plain words: the one place a scope code (`sfu.read`) becomes a sentence a household member can
// judge ("Play online (netplay): list rooms and join games"). The token form, /pair and any other scope picker use
// it; a scope the server knows but this file does not (one an operator added) is shown by its code under "Other".
// ScopeWordsTest fails the build when a scope in ScopeCatalog.DEFAULT_SCOPES has no words here.
import { el } from './ui.js';

const TEXT = {
  otherGroup: 'Other',
  otherScope: 'Added by the operator of this server',
};

/** Groups in the order pages show them; within a group, scopes in the order given (reading before changing). */
const GROUPS = [
  {
    title: 'Your account',
    scopes: {
      'me.read': 'See your profile, where you are signed in and your security events',
      'me.write': 'Change your profile and password, and sign out your devices',
      'tokens.read': 'See your API tokens and paired devices',
      'tokens.write': 'Create, pair and revoke your API tokens, and approve new devices',
    },
  },
  {
    title: 'Games and library',
    scopes: {
      'roms.read': 'Browse and download the games in the library',
      'roms.write': 'Add, edit and delete games in the library',
      'roms.user.read': 'See your own game progress, notes and ratings',
      'roms.user.write': 'Save your own game progress, notes and ratings',
      'assets.read': 'See and download your saves, save states and screenshots',
      'assets.write': 'Upload and delete your saves, save states and screenshots',
      'collections.read': 'See game collections',
      'collections.write': 'Create and change game collections',
      'platforms.read': 'See the game systems (platforms) in the library',
      'platforms.write': 'Add, edit and delete game systems (platforms)',
      'firmware.read': 'Use the console firmware (BIOS files) that games need',
      'firmware.write': 'Upload and delete console firmware (BIOS files)',
      'tasks.run': 'Run library tasks, such as scans and metadata updates',
    },
  },
  {
    title: 'Devices',
    scopes: {
      'devices.read': 'See the devices that sync your games',
      'devices.write': 'Register and remove devices that sync your games',
    },
  },
  {
    title: 'Play online',
    scopes: {
      'sfu.read': 'Play online (netplay): list rooms and join games',
      'sfu.write': 'Play online (netplay): open rooms and take a seat in them',
    },
  },
  {
    title: 'Administration',
    scopes: {
      'users.read': 'See everyone’s accounts, sessions, tokens and invitations',
      'users.write': 'Create, change, disable and delete accounts, and invite people',
      'audit.read': 'Read the audit log and the admin overview',
      'keys.read': 'See the server’s signing keys and the servers it trusts',
      'keys.write': 'Rotate signing keys and change which servers it trusts',
      'apps.read': 'See every app listed on the home page, whoever it is for',
      'apps.write': 'Add, change, reorder and remove the apps on everyone’s home page',
    },
  },
  {
    title: 'Server health',
    scopes: {
      'logs.read': 'Read the server’s logs',
      'alerts.read': 'See the server’s alerts',
      'alerts.write': 'Acknowledge the server’s alerts',
      'metrics.read': 'Read the server’s performance metrics',
    },
  },
];

/** Scope code → sentence, for anything that needs one scope's words (a launcher's scope picker, a token list). */
export const SCOPE_WORDS = Object.freeze(Object.assign({}, ...GROUPS.map((g) => g.scopes)));

const GROUP_OF = new Map(GROUPS.flatMap((g) => Object.keys(g.scopes).map((code) => [code, g.title])));

/** The sentence for `code`, or null for a scope that has none (one an operator added). */
export function scopeWords(code) {
  return Object.hasOwn(SCOPE_WORDS, code) ? SCOPE_WORDS[code] : null;
}

/**
 * `scopes` filed into the groups above, in their order, as `[{ title, scopes }]`; empty groups are left out, and
 * scopes without words come last under "Other", sorted.
 */
export function groupScopes(scopes) {
  const given = new Set(scopes);
  const groups = GROUPS.map((g) => ({ title: g.title, scopes: Object.keys(g.scopes).filter((code) => given.has(code)) }));
  const other = [...given].filter((code) => !GROUP_OF.has(code)).sort();
  groups.push({ title: TEXT.otherGroup, scopes: other });
  return groups.filter((g) => g.scopes.length > 0);
}

/**
 * One fieldset per group, each scope a checkbox labelled with its sentence, its code in small print below.
 * `idPrefix` names the boxes (`token-scope` gives `token-scope-me-read`); `checked(code)` ticks a box;
 * `refusal(code)`, when it returns a reason, leaves that box unticked and disabled, with the reason shown.
 */
export function scopeFieldsets(scopes, { idPrefix, checked = () => false, refusal = () => null }) {
  return groupScopes(scopes).map((group) => el('fieldset', { class: 'scope-group' },
    el('legend', { text: group.title }),
    ...group.scopes.map((code) => scopeChoice(code, idPrefix, checked(code), refusal(code)))));
}

function scopeChoice(code, idPrefix, ticked, reason) {
  const id = `${idPrefix}-${code.replace(/[^a-z0-9_-]/gi, '-')}`;
  const words = scopeWords(code);
  // The label holds only the sentence, so the box's accessible name is exactly what is visible; the code (and any
  // reason it cannot be granted) is its description.
  const codeLine = el('span', { id: `${id}-code`, class: 'scope-code' },
    words ? el('code', { text: code }) : TEXT.otherScope);
  const why = reason ? el('span', { id: `${id}-why`, class: 'scope-refused', text: reason }) : null;
  return el('div', { class: `check scope-choice${reason ? ' refused' : ''}`, data: { scope: code } },
    el('input', {
      id, type: 'checkbox', name: 'scopes', value: code, checked: ticked && !reason, disabled: Boolean(reason),
      'aria-describedby': reason ? `${id}-code ${id}-why` : `${id}-code`,
    }),
    el('div', {},
      el('label', { for: id }, words || el('code', { text: code })),
      codeLine,
      why));
}
