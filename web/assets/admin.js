// The admin page: an overview, users, invitations, the audit log and netplay, one tab each. The server refuses non-admins on every
// call; this page only sends them home instead of showing four empty tabs.
import { api, ApiError, fail, getJson, go, messageFor, passwordPolicy, signInPage, wireSignOut } from './api.js';
import { loadOverview, wireAlerts } from './dashboard.js';
import { loadApps } from './apps.js';
import { EVENT_LABELS, EventLog } from './events.js';
import { TEXT } from './text-admin.js';
import {
  askToConfirm,
  byId,
  clearError,
  confirmTwice,
  dayAndHour,
  describeAgent,
  el,
  firstInvalidField,
  formatDateTime,
  formatTimeToSecond,
  markReady,
  refuse,
  showError,
  showStatus,
  timeEl,
  whileBusy,
  wirePasswordLength,
  wirePasswordReveal,
} from './ui.js';

const ROLES = ['viewer', 'editor', 'admin'];
const USERS_PAGE = 50;

let me = null;

const confirmDialog = byId('confirm');

/** How the page names a person: their display name, else their username. */
function nameOf(user) {
  return user.display_name || user.username;
}

function badge(text, kind) {
  return el('span', { class: `badge ${kind}`, text });
}

// ---------------------------------------------------------------------------------------------------------------
// Tabs: one panel at a time, chosen by the URL fragment so a link, a reload, Back and Forward land on the same one.

const tabs = [...byId('tabs').querySelectorAll('[role="tab"]')];
const loaders = {
  overview: () => loadOverview(),
  users: () => loadUsers(),
  invites: () => loadInvites(),
  audit: () => audit.reload(),
  netplay: () => Promise.all([loadKeys(), loadRooms(), loadIssuers()]),
  apps: () => loadApps(),
};

/** Shows `tab`'s panel and loads it; the address is the caller's business. */
async function showTab(tab, { focus = false } = {}) {
  for (const t of tabs) {
    const selected = t === tab;
    t.setAttribute('aria-selected', String(selected));
    t.tabIndex = selected ? 0 : -1;
    byId(t.getAttribute('aria-controls')).hidden = !selected;
  }
  if (focus) {
    tab.focus();
  }
  await loaders[tab.dataset.hash]();
}

/**
 * A tab the person chose: a history entry of its own, so Back returns to the tab before. Arrow keys `replace`
 * instead, so walking along the tabs leaves one entry, not one per tab passed.
 */
function selectTab(tab, { focus = false, replace = false } = {}) {
  const fragment = `#${tab.dataset.hash}`;
  if (window.location.hash !== fragment) {
    history[replace ? 'replaceState' : 'pushState'](null, '', fragment);
  }
  return showTab(tab, { focus });
}

function tabForHash() {
  const name = window.location.hash.slice(1);
  return tabs.find((t) => t.dataset.hash === name) || tabs[0];
}

/** Shows the tab the address names (Back, Forward, an edited fragment); an unknown fragment shows the first tab. */
function followAddress() {
  const tab = tabForHash();
  if (window.location.hash !== `#${tab.dataset.hash}`) {
    history.replaceState(null, '', `#${tab.dataset.hash}`);
  }
  if (tab.getAttribute('aria-selected') !== 'true') {
    return showTab(tab);
  }
  return Promise.resolve();
}

for (const tab of tabs) {
  tab.addEventListener('click', () => {
    if (tab.getAttribute('aria-selected') !== 'true') {
      selectTab(tab);
    }
  });
  // Arrow keys move between tabs (WAI-ARIA tabs pattern, automatic activation).
  tab.addEventListener('keydown', (event) => {
    const i = tabs.indexOf(tab);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (next === undefined) {
      return;
    }
    event.preventDefault();
    selectTab(tabs[(next + tabs.length) % tabs.length], { focus: true, replace: true });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Users

const usersList = byId('users-list');
const usersError = byId('users-error');
const usersStatus = byId('users-status');
const usersMore = byId('users-more');
const usersEmpty = byId('users-empty');
const userSearch = byId('user-search');
let usersCursor = null;
let usersGeneration = 0;

async function loadUsers({ append = false } = {}) {
  const generation = append ? usersGeneration : ++usersGeneration;
  clearError(usersError);
  const query = new URLSearchParams({ limit: String(USERS_PAGE) });
  if (userSearch.value.trim()) {
    query.set('q', userSearch.value.trim());
  }
  if (append && usersCursor) {
    query.set('cursor', usersCursor);
  }
  let data;
  try {
    data = await getJson(`/api/users?${query}`);
  } catch (e) {
    fail(usersError, e);
    return;
  }
  if (generation !== usersGeneration) {
    return; // a newer search answered first
  }
  if (!append) {
    usersList.replaceChildren();
  }
  usersList.append(...data.users.map(userItem));
  usersCursor = data.next_cursor || null;
  usersMore.hidden = !usersCursor;
  usersEmpty.hidden = usersList.children.length > 0;
}

byId('user-search-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  showStatus(usersStatus, '');
  await whileBusy(byId('user-search-submit'), TEXT.searching, () => loadUsers());
});

usersMore.addEventListener('click', () => whileBusy(usersMore, TEXT.loading, () => loadUsers({ append: true })));

/** Puts a freshly answered user in place of its list item, keeping focus on the control that was used. */
function replaceUser(li, user) {
  const active = li.contains(document.activeElement) ? document.activeElement.dataset.action : undefined;
  const fresh = userItem(user);
  li.replaceWith(fresh);
  if (active) {
    const again = fresh.querySelector(`[data-action="${active}"]`);
    if (again) {
      again.focus();
    }
  }
  return fresh;
}

function itemError(li) {
  return li.querySelector('.alert');
}

async function patchUser(li, user, change, done) {
  clearError(itemError(li));
  showStatus(usersStatus, '');
  try {
    const updated = await api('PATCH', `/api/users/${user.id}`, change);
    if (updated.id === me.id && updated.role !== 'admin') {
      go('/'); // you just gave up admin yourself
      return null;
    }
    replaceUser(li, updated);
    showStatus(usersStatus, done(updated));
    return updated;
  } catch (e) {
    fail(itemError(li), e);
    return null;
  }
}

function userItem(user) {
  const id = user.id;
  const li = el('li', { class: 'item', data: { userId: String(id), username: user.username } });
  const error = el('div', { class: 'alert', role: 'alert', 'aria-live': 'assertive', 'aria-atomic': 'true' });

  const head = el('div', { class: 'item-head' },
    el('strong', { text: user.username }),
    user.display_name ? el('span', { class: 'muted', text: user.display_name }) : null,
    id === me.id ? badge(TEXT.you, 'plain') : null,
    user.enabled ? null : badge(TEXT.disabled, 'bad'),
    user.banned ? badge(TEXT.lockedOut, 'warn') : null);
  const meta = el('p', { class: 'item-meta' },
    user.email ? TEXT.emailThen(user.email) : '', TEXT.created, timeEl(user.created_at));

  // What can only fail is not offered, and the row says why: the server refuses to leave no enabled admin
  // (last_admin), and an admin does not lock themselves out here (their own account is deleted from /account).
  const self = id === me.id;
  const lastAdmin = user.last_admin === true;
  const noteId = `own-${id}`;
  const note = self || lastAdmin ? el('p', { id: noteId, class: 'hint', data: { note: 'own-account' } },
    self ? TEXT.ownAccount : null, self ? el('a', { href: '/account', text: TEXT.ownAccountLink }) : null,
    self ? '.' : null, self && lastAdmin ? ' ' : null, lastAdmin ? TEXT.onlyAdmin : null) : null;

  // Role: asked first, since one slip of a dropdown could make someone an admin
  const roleSelect = el('select', {
    id: `role-${id}`, class: 'small', data: { action: 'role' },
    disabled: lastAdmin, 'aria-describedby': lastAdmin ? noteId : undefined,
  }, ...ROLES.map((r) => el('option', { value: r, selected: r === user.role, text: r })));
  roleSelect.addEventListener('change', async () => {
    if (!(await askToConfirm(confirmDialog, roleChange(user, roleSelect.value)))) {
      roleSelect.value = user.role;
      return;
    }
    roleSelect.disabled = true;
    const updated = await patchUser(li, user, { role: roleSelect.value },
      (u) => TEXT.nowRole(u.username, u.role));
    if (!updated) {
      roleSelect.value = user.role;
      roleSelect.disabled = false;
    }
  });

  // Enable / disable; disabling signs them out everywhere, so it is asked first
  const toggle = self || lastAdmin ? null : el('button', {
    type: 'button', class: user.enabled ? 'danger small' : 'secondary small', data: { action: 'toggle-enabled' },
    text: user.enabled ? TEXT.disable : TEXT.enable,
  });
  toggle?.addEventListener('click', async () => {
    if (user.enabled && !(await askToConfirm(confirmDialog, {
      question: TEXT.disableQuestion(nameOf(user)), consequence: TEXT.disableConsequence(nameOf(user)), confirm: TEXT.disable,
    }))) {
      return;
    }
    await whileBusy(toggle, user.enabled ? TEXT.disabling : TEXT.enabling, () =>
      patchUser(li, user, { enabled: !user.enabled }, (u) => (u.enabled
        ? TEXT.enabledAgain(u.username)
        : TEXT.disabledNow(u.username))));
  });

  // Reset password (inline form)
  const resetId = `reset-${id}`;
  const resetInput = el('input', { id: `reset-password-${id}`, type: 'password', autocomplete: 'new-password', required: true });
  const resetSubmit = el('button', { type: 'submit', class: 'secondary small', text: TEXT.setPassword });
  const resetCancel = el('button', { type: 'button', class: 'ghost', text: TEXT.cancel });
  const resetForm = el('form', { id: resetId, class: 'item-extra', novalidate: true, hidden: true },
    el('div', { class: 'field' },
      el('label', { for: resetInput.id, text: TEXT.newPasswordFor(user.username) }),
      resetInput,
      el('p', { class: 'hint', text: TEXT.newPasswordHint })),
    el('div', { class: 'item-actions' }, resetSubmit, resetCancel));
  const resetToggle = el('button', {
    type: 'button', class: 'secondary small', data: { action: 'reset-password' },
    'aria-expanded': 'false', 'aria-controls': resetId, text: TEXT.resetPassword,
  });
  const showReset = (open) => {
    resetForm.hidden = !open;
    resetToggle.setAttribute('aria-expanded', String(open));
    if (open) {
      resetInput.focus();
    } else {
      resetForm.reset();
    }
  };
  resetToggle.addEventListener('click', () => showReset(resetForm.hidden));
  resetCancel.addEventListener('click', () => {
    showReset(false);
    resetToggle.focus();
  });
  resetForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearError(error);
    const invalid = firstInvalidField(resetForm);
    if (invalid) {
      refuse(error, invalid.field, invalid.message);
      return;
    }
    await whileBusy(resetSubmit, TEXT.setting, () => patchUser(li, user, { password: resetInput.value },
      (u) => TEXT.passwordReset(u.username)));
  });

  // Reset link (inline panel): a one-time link to hand over, for someone who should choose their own password
  const linkId = `reset-link-${id}`;
  const linkUrl = el('input', { id: `reset-link-url-${id}`, class: 'link', type: 'text', readonly: true, spellcheck: 'false' });
  const linkCopy = el('button', { type: 'button', class: 'secondary small', text: TEXT.copy });
  const linkNote = el('p', { class: 'hint', role: 'status', 'aria-live': 'polite' });
  const linkPanel = el('div', { id: linkId, class: 'item-extra', hidden: true },
    el('div', { class: 'inline' },
      el('div', { class: 'field' }, el('label', { for: linkUrl.id, text: TEXT.resetLinkFor(user.username) }), linkUrl),
      linkCopy),
    linkNote);
  const linkButton = el('button', {
    type: 'button', class: 'secondary small', data: { action: 'reset-link' },
    'aria-expanded': 'false', 'aria-controls': linkId, text: TEXT.resetLink,
  });
  linkButton.addEventListener('click', () => whileBusy(linkButton, TEXT.creating, async () => {
    clearError(error);
    try {
      const link = await api('POST', `/api/users/${id}/reset-link`);
      linkUrl.value = link.url;
      linkNote.textContent = TEXT.resetLinkNote(formatDateTime(link.expires_at));
      linkPanel.hidden = false;
      linkButton.setAttribute('aria-expanded', 'true');
      linkUrl.focus();
      linkUrl.select();
    } catch (e) {
      fail(error, e);
    }
  }));
  linkCopy.addEventListener('click', () => copyLink(linkUrl, linkNote));

  // Their sessions (inline panel)
  const sessionsId = `sessions-${id}`;
  const sessionsPanel = el('div', { id: sessionsId, class: 'item-extra', hidden: true });
  const sessionsToggle = el('button', {
    type: 'button', class: 'secondary small', data: { action: 'sessions' },
    'aria-expanded': 'false', 'aria-controls': sessionsId, text: TEXT.sessions,
  });
  sessionsToggle.addEventListener('click', async () => {
    const open = sessionsPanel.hidden;
    sessionsToggle.setAttribute('aria-expanded', String(open));
    if (!open) {
      sessionsPanel.hidden = true;
      return;
    }
    await whileBusy(sessionsToggle, TEXT.loading, () => showSessions(li, user, sessionsPanel));
    sessionsPanel.hidden = false;
  });

  const actions = el('div', { class: 'item-actions' },
    el('label', { for: roleSelect.id, class: 'visually-hidden', text: TEXT.roleOf(user.username) }),
    roleSelect, toggle, resetToggle, linkButton, sessionsToggle);

  // Unban, when repeated failed sign-ins locked them out
  if (user.banned) {
    const unban = el('button', { type: 'button', class: 'secondary small', data: { action: 'unban' }, text: TEXT.unlock });
    unban.addEventListener('click', () => whileBusy(unban, TEXT.unlocking, async () => {
      clearError(error);
      try {
        await api('POST', `/api/users/${id}/unban`);
        replaceUser(li, await getJson(`/api/users/${id}`));
        showStatus(usersStatus, TEXT.unlocked(user.username));
      } catch (e) {
        fail(error, e);
      }
    }));
    actions.append(unban);
  }

  // Delete, once asked
  if (!self && !lastAdmin) {
    const del = el('button', { type: 'button', class: 'danger small', data: { action: 'delete' }, text: TEXT.delete });
    del.addEventListener('click', async () => {
      if (!(await askToConfirm(confirmDialog, {
        question: TEXT.deleteQuestion(nameOf(user)), consequence: TEXT.deleteConsequence, confirm: TEXT.delete,
      }))) {
        return;
      }
      await whileBusy(del, TEXT.deleting, async () => {
        clearError(error);
        try {
          await api('DELETE', `/api/users/${id}`);
          li.remove();
          usersEmpty.hidden = usersList.children.length > 0;
          showStatus(usersStatus, TEXT.deleted(user.username));
          userSearch.focus();
        } catch (e) {
          fail(error, e);
        }
      });
    });
    actions.append(del);
  }

  li.append(head, meta, actions, note, error, resetForm, linkPanel, sessionsPanel);
  return li;
}

/** The question before `user` becomes `role`, naming them and what the change does. */
function roleChange(user, role) {
  const name = nameOf(user);
  let consequence;
  if (role === 'admin') {
    consequence = TEXT.becomesAdmin(name);
  } else if (user.role === 'admin') {
    consequence = user.id === me.id ? TEXT.youStopBeingAdmin : TEXT.stopsBeingAdmin(name);
  } else {
    consequence = role === 'editor' ? TEXT.becomesEditor(name) : TEXT.becomesViewer(name);
  }
  return {
    question: user.id === me.id ? TEXT.ownRoleQuestion(role) : TEXT.roleQuestion(name, role),
    consequence,
    confirm: TEXT.changeRole(role),
  };
}

async function showSessions(li, user, panel) {
  const error = itemError(li);
  clearError(error);
  let data;
  try {
    data = await getJson(`/api/users/${user.id}/sessions`);
  } catch (e) {
    fail(error, e);
    return;
  }
  const rows = data.sessions.map((s) => el('tr', { data: { sessionId: s.id } },
    el('td', { class: 'wrap' },
      el('span', { title: s.user_agent || undefined, text: describeAgent(s.user_agent) }),
      el('span', { class: 'sub', text: s.kind === 'oauth' ? TEXT.appSignIn : TEXT.browser })),
    el('td', { class: 'nowrap', text: s.ip || '—' }),
    el('td', { class: 'nowrap' }, timeEl(s.created_at)),
    el('td', { class: 'nowrap' }, timeEl(s.last_seen_at))));
  const table = rows.length === 0
    ? el('p', { class: 'empty', text: TEXT.notSignedIn(user.username) })
    : el('div', { class: 'table-wrap' }, el('table', { class: 'stack' },
      el('caption', { class: 'visually-hidden', text: TEXT.sessionsOf(user.username) }),
      el('thead', {}, el('tr', {},
        ...TEXT.sessionColumns.map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, ...rows)));
  const endAll = el('button', {
    type: 'button', class: 'danger small', data: { action: 'logout-all' },
    disabled: rows.length === 0, text: TEXT.signOutEverywhere,
  });
  endAll.addEventListener('click', () => whileBusy(endAll, TEXT.signingOut, async () => {
    clearError(error);
    try {
      const result = await api('POST', `/api/users/${user.id}/logout-all`);
      showStatus(usersStatus, TEXT.sessionsEnded(result.ended, user.username));
      await showSessions(li, user, panel);
      li.querySelector('[data-action="sessions"]').focus();
    } catch (e) {
      fail(error, e);
    }
  }));
  panel.replaceChildren(table, el('div', { class: 'item-actions' }, endAll));
}

// Create a user
const createForm = byId('create-user-form');
const createError = byId('create-user-error');
const createStatus = byId('create-user-status');
const CREATE_FIELD_FOR_ERROR = {
  invalid_username: byId('new-username'),
  username_taken: byId('new-username'),
  password_too_short: byId('new-password'),
  password_too_long: byId('new-password'),
};

createForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearError(createError);
  showStatus(createStatus, '');
  const invalid = firstInvalidField(createForm);
  if (invalid) {
    refuse(createError, invalid.field, invalid.message);
    return;
  }
  const body = {
    username: byId('new-username').value.trim(),
    password: byId('new-password').value,
    role: byId('new-role').value,
  };
  const displayName = byId('new-display-name').value.trim();
  const email = byId('new-email').value.trim();
  if (displayName) {
    body.display_name = displayName;
  }
  if (email) {
    body.email = email;
  }
  await whileBusy(byId('create-user-submit'), TEXT.creating, async () => {
    try {
      const user = await api('POST', '/api/users', body);
      createForm.reset();
      showStatus(createStatus, TEXT.userCreated(user.username, user.role));
      userSearch.value = '';
      await loadUsers();
    } catch (e) {
      const field = e instanceof ApiError ? CREATE_FIELD_FOR_ERROR[e.code] : undefined;
      if (field) {
        refuse(createError, field, e.message);
      } else {
        fail(createError, e);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Invitations

const inviteForm = byId('invite-form');
const inviteError = byId('invite-error');
const inviteResult = byId('invite-result');
const inviteUrl = byId('invite-url');
const inviteCopyStatus = byId('invite-copy-status');
const invitesBody = byId('invites-body');
const invitesError = byId('invites-error');
const invitesStatus = byId('invites-status');

inviteForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearError(inviteError);
  const invalid = firstInvalidField(inviteForm);
  if (invalid) {
    refuse(inviteError, invalid.field, invalid.message);
    return;
  }
  const body = {
    role: byId('invite-role').value,
    expires_in_seconds: Number(byId('invite-days').value) * 86400,
    max_uses: Number(byId('invite-uses').value),
  };
  const name = byId('invite-name').value.trim();
  if (name) {
    body.name = name;
  }
  await whileBusy(byId('invite-submit'), TEXT.creating, async () => {
    try {
      const invite = await api('POST', '/api/invites', body);
      byId('invite-name').value = ''; // a name is for one link; the role, days and uses may suit the next one too
      inviteUrl.value = invite.url;
      inviteCopyStatus.textContent = '';
      inviteResult.hidden = false;
      inviteUrl.focus();
      inviteUrl.select();
      await loadInvites();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'invalid_invite_name') {
        refuse(inviteError, byId('invite-name'), e.message);
      } else {
        fail(inviteError, e);
      }
    }
  });
});

/** Copies the link in `field` and says so in `note`; where the clipboard is closed, selects it for Ctrl+C. */
async function copyLink(field, note) {
  try {
    // Only in secure contexts (HTTPS or localhost) and with the page focused; otherwise the text is selected instead.
    await navigator.clipboard.writeText(field.value);
    note.textContent = TEXT.copied;
  } catch {
    field.focus();
    field.select();
    note.textContent = TEXT.linkSelected;
  }
}

byId('invite-copy').addEventListener('click', () => copyLink(inviteUrl, inviteCopyStatus));

/** The state cell: a badge, and below it what is left of a live link or when and why a dead one died. */
function inviteState(invite) {
  const state = TEXT.inviteStates[invite.state] || { label: String(invite.state), kind: 'plain' };
  let note = null;
  if (invite.state === 'active') {
    note = el('span', { class: 'sub', text: TEXT.usesLeft(invite.max_uses - invite.uses) });
  } else if (invite.state === 'revoked' && invite.revoked_at) {
    note = el('span', { class: 'sub' }, TEXT.revokedAt, timeEl(invite.revoked_at));
  } else if (invite.state === 'void') {
    note = el('span', { class: 'sub', text: TEXT.voidNote });
  }
  return [badge(state.label, state.kind), note];
}

function inviteRow(invite) {
  const name = typeof invite.name === 'string' ? invite.name : '';
  // A void link could come back to life if its creator got their rights back: revoking it stays possible.
  const revocable = invite.state === 'active' || invite.state === 'void';
  const revoke = revocable ? el('button', {
    type: 'button', class: 'danger small', data: { action: 'revoke' },
    'aria-label': TEXT.revokeLabel(name, invite.role), text: TEXT.revoke,
  }) : null;
  const tr = el('tr', { role: 'row', data: { inviteId: invite.id, state: invite.state } },
    cell(TEXT.column.name, { class: 'wrap' }, name ? el('strong', { text: name }) : el('span', { class: 'muted', text: TEXT.unnamed })),
    cell(TEXT.column.role, {}, el('span', { class: 'badge', text: invite.role })),
    cell(TEXT.column.state, {}, ...inviteState(invite)),
    cell(TEXT.column.created, {}, dayAndHour(invite.created_at)),
    cell(TEXT.column.expires, {}, dayAndHour(invite.expires_at)),
    cell(TEXT.column.used, { class: 'nowrap', text: TEXT.used(invite.uses, invite.max_uses) }),
    cell(null, { class: 'nowrap shrink' }, revoke));
  if (revoke) {
    confirmTwice(revoke, TEXT.reallyRevoke, () => whileBusy(revoke, TEXT.revoking, async () => {
      clearError(invitesError);
      showStatus(invitesStatus, '');
      try {
        await api('DELETE', `/api/invites/${encodeURIComponent(invite.id)}`);
        showStatus(invitesStatus, TEXT.inviteRevoked);
        byId('invite-name').focus(); // the row's button is gone with the reload
        await loadInvites();
      } catch (e) {
        fail(invitesError, e);
      }
    }));
  }
  return tr;
}

async function loadInvites() {
  clearError(invitesError);
  try {
    const data = await getJson('/api/invites');
    invitesBody.replaceChildren(...data.invites.map(inviteRow));
    byId('invites-empty').hidden = data.invites.length > 0;
  } catch (e) {
    fail(invitesError, e);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Audit log

const auditFilters = byId('audit-filters');
const auditError = byId('audit-error');
const auditType = byId('audit-type');
const auditSince = byId('audit-since');
const auditUntil = byId('audit-until');

auditType.append(...Object.entries(EVENT_LABELS)
  .sort(([, a], [, b]) => a.localeCompare(b))
  .map(([value, label]) => el('option', { value, text: label })));

/** A date input's day as the instant it starts in the reader's time zone (the next day's start for `until`). */
function dayStart(input, nextDay) {
  const [y, m, d] = input.value.split('-').map(Number);
  return new Date(y, m - 1, d + (nextDay ? 1 : 0)).toISOString();
}

const audit = new EventLog({
  path: '/api/admin/audit',
  body: byId('audit-body'),
  older: byId('audit-older'),
  empty: byId('audit-empty'),
  error: auditError,
  withSubject: true,
  params: () => {
    const query = new URLSearchParams();
    const user = byId('audit-user').value.trim();
    if (user) {
      query.set('user', user);
    }
    if (auditType.value) {
      query.set('type', auditType.value);
    }
    if (auditSince.value) {
      query.set('since', dayStart(auditSince, false));
    }
    if (auditUntil.value) {
      query.set('until', dayStart(auditUntil, true)); // the whole "to" day is included
    }
    return query;
  },
});

auditFilters.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearError(auditError);
  if (auditSince.value && auditUntil.value && auditSince.value > auditUntil.value) {
    refuse(auditError, auditUntil, TEXT.datesReversed);
    return;
  }
  auditUntil.removeAttribute('aria-invalid');
  await whileBusy(byId('audit-apply'), TEXT.filtering, () => audit.reload());
});

auditFilters.addEventListener('reset', () => {
  // The browser clears the fields right after this event; search again once it has.
  setTimeout(() => audit.reload(), 0);
});

// ---------------------------------------------------------------------------------------------------------------
// Netplay: signing keys, live rooms and trusted instances. The tables turn into labelled blocks on narrow screens
// (table.stack in latch.css), so every cell names its column in data-label and carries its role explicitly.

function cell(label, props, ...children) {
  return el('td', { role: 'cell', data: label ? { label } : undefined, ...props }, ...children);
}

const keysBody = byId('keys-body');
const keysError = byId('keys-error');
const keysStatus = byId('keys-status');
const keysRotate = byId('keys-rotate');
let keysGeneration = 0;

/** Newest first: by creation, and a key made in the same instant as another by when it starts signing. */
function newestFirst(a, b) {
  return (b.created_at || '').localeCompare(a.created_at || '') || (b.active_from || '').localeCompare(a.active_from || '');
}

function keyRow(key) {
  const state = TEXT.keyStates[key.state] || { label: key.state, kind: 'plain', note: '' };
  const withdrawn = Boolean(key.withdrawn_at);
  let action = null;
  if (key.state !== 'retired') {
    action = el('button', {
      type: 'button', class: 'danger small', data: { action: 'withdraw' },
      'aria-label': TEXT.withdrawLabel(key.kid), text: TEXT.withdraw,
    });
    action.addEventListener('click', () => withdrawKey(key, action));
  }
  return el('tr', { role: 'row', data: { kid: key.kid, state: key.state } },
    cell(TEXT.column.key, { class: 'nowrap' }, el('code', { text: key.kid }), el('span', { class: 'sub', text: key.algorithm })),
    cell(TEXT.column.state, {},
      badge(state.label, state.kind),
      withdrawn ? ' ' : null,
      withdrawn ? badge(TEXT.withdrawn, 'bad') : null,
      el('span', { class: 'sub', text: withdrawn ? TEXT.withdrawnNote : state.note })),
    cell(TEXT.column.created, {}, dayAndHour(key.created_at)),
    cell(TEXT.column.signsFrom, {}, dayAndHour(key.active_from)),
    cell(TEXT.column.retires, {}, dayAndHour(key.retires_at)),
    cell(null, { class: 'nowrap shrink' }, action));
}

/** Lists the keys; after an action the caller keeps what it showed (`keepMessages`), say the server's refusal. */
async function loadKeys({ keepMessages = false } = {}) {
  const generation = ++keysGeneration;
  if (!keepMessages) {
    clearError(keysError);
  }
  let data;
  try {
    data = await getJson('/api/admin/keys');
  } catch (e) {
    fail(keysError, e);
    return;
  }
  if (generation !== keysGeneration) {
    return; // a newer load answered first
  }
  const keys = [...data.keys].sort(newestFirst);
  keysBody.replaceChildren(...keys.map(keyRow));
  byId('keys-empty').hidden = keys.length > 0;
}

keysRotate.addEventListener('click', () => whileBusy(keysRotate, TEXT.rotating, async () => {
  clearError(keysError);
  showStatus(keysStatus, '');
  try {
    const key = await api('POST', '/api/admin/keys/rotate', {});
    showStatus(keysStatus, TEXT.keyPublished(key.kid, formatTimeToSecond(key.active_from)));
  } catch (e) {
    fail(keysError, e); // 409 rotation_pending: the server says a new key is already waiting
  }
  await loadKeys({ keepMessages: true });
}));

async function withdrawKey(key, button) {
  const consequence = key.state === 'active'
    ? TEXT.withdrawActiveConsequence
    : TEXT.withdrawConsequence;
  // The browser's own dialog: modal, keyboard-accessible, and it returns focus to the button when dismissed.
  if (!window.confirm(TEXT.withdrawQuestion(key.kid, consequence))) {
    return;
  }
  clearError(keysError);
  showStatus(keysStatus, '');
  await whileBusy(button, TEXT.withdrawing, async () => {
    try {
      await api('POST', `/api/admin/keys/${encodeURIComponent(key.kid)}/retire`);
      showStatus(keysStatus, TEXT.keyWithdrawn(key.kid));
    } catch (e) {
      fail(keysError, e);
    }
  });
  await loadKeys({ keepMessages: true });
  keysRotate.focus(); // the row's button is gone with the reload
}

const roomsBody = byId('rooms-body');
const roomsError = byId('rooms-error');
const roomsStatus = byId('rooms-status');
const roomsRefresh = byId('rooms-refresh');
let roomsGeneration = 0;

/** A field of a room record as text: the SFU sends what it likes, so anything but a string or a number is ''. */
function field(value) {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) ? String(value) : '';
}

function roomRow(room) {
  const name = field(room.room_name);
  const current = field(room.current);
  const max = field(room.max);
  const players = current && max ? TEXT.players(current, max) : current || '—';
  const announced = Number.isFinite(room.updatedAt) ? new Date(room.updatedAt).toISOString() : null;
  return el('tr', { role: 'row', data: { room: name } },
    cell(TEXT.column.room, { class: 'wrap' }, el('strong', { text: name })),
    cell(TEXT.column.players, { class: 'nowrap', text: players }),
    cell(TEXT.column.password, {}, room.hasPassword === true ? badge(TEXT.required, 'warn') : el('span', { class: 'muted', text: TEXT.none })),
    cell(TEXT.column.server, { class: 'wrap' },
      el('span', { text: field(room.nodeId) || '—' }),
      field(room.url) ? el('span', { class: 'sub' }, el('code', { text: field(room.url) })) : null),
    cell(TEXT.column.announced, {}, dayAndHour(announced)));
}

async function loadRooms({ announce = false } = {}) {
  const generation = ++roomsGeneration;
  clearError(roomsError);
  let data;
  try {
    data = await getJson('/api/sfu/rooms');
  } catch (e) {
    fail(roomsError, e);
    return;
  }
  if (generation !== roomsGeneration) {
    return;
  }
  const rooms = [...data.rooms].sort((a, b) => field(a.room_name).localeCompare(field(b.room_name)));
  roomsBody.replaceChildren(...rooms.map(roomRow));
  byId('rooms-table').hidden = rooms.length === 0;
  byId('rooms-empty').hidden = rooms.length > 0;
  if (announce) {
    showStatus(roomsStatus, TEXT.roomsUpdated(formatTimeToSecond(Date.now()), rooms.length));
  }
}

roomsRefresh.addEventListener('click', () => whileBusy(roomsRefresh, TEXT.refreshing, () => {
  showStatus(roomsStatus, '');
  return loadRooms({ announce: true });
}));

// Trusted instances (federation): other Latch instances whose netplay tokens this one accepts.

const issuersBody = byId('issuers-body');
const issuersError = byId('issuers-error');
const issuersStatus = byId('issuers-status');
const issuerForm = byId('issuer-form');
const issuerFormError = byId('issuer-form-error');
const issuerFormStatus = byId('issuer-form-status');
const issuerUrl = byId('issuer-url');
let issuersGeneration = 0;

/** A list of strings from the server as text; anything else is left out. */
function names(list) {
  return Array.isArray(list) ? list.filter((n) => typeof n === 'string') : [];
}

function issuerRow(issuer) {
  const name = field(issuer.issuer);
  const enabled = issuer.enabled === true;
  const kids = names(issuer.kids);
  const toggle = el('button', {
    type: 'button', class: 'secondary small', data: { action: 'toggle' },
    'aria-label': enabled ? TEXT.disableLabel(name) : TEXT.enableLabel(name), text: enabled ? TEXT.disable : TEXT.enable,
  });
  toggle.addEventListener('click', () => setIssuerEnabled(issuer, !enabled, toggle));
  const remove = el('button', {
    type: 'button', class: 'danger small', data: { action: 'remove' }, 'aria-label': TEXT.removeLabel(name), text: TEXT.remove,
  });
  remove.addEventListener('click', () => removeIssuer(issuer, remove));
  // As the process that answered saw it; a disabled entry holds no keys, and keys are fetched lazily.
  let fetched = [el('span', { class: 'muted', text: TEXT.notFetchedYet })];
  if (!enabled) {
    fetched = [el('span', { class: 'muted', text: TEXT.notWhileDisabled })];
  } else if (issuer.last_key_fetch_at) {
    fetched = [dayAndHour(issuer.last_key_fetch_at),
      el('span', { class: 'sub', text: kids.length ? TEXT.keysHeld(kids) : TEXT.noUsableKeys })];
  }
  const lastError = field(issuer.last_error);
  return el('tr', { role: 'row', data: { issuerId: field(issuer.id), issuer: name, enabled: String(enabled) } },
    cell(TEXT.column.instance, { class: 'wrap' }, el('strong', { text: name }),
      el('span', { class: 'sub' }, TEXT.keysAt, el('code', { text: field(issuer.jwks_url) })),
      el('span', { class: 'sub', text: TEXT.algorithms(names(issuer.algorithms).join(', ') || '—') })),
    cell(TEXT.column.enabled, {}, enabled ? badge(TEXT.enabled, 'ok') : badge(TEXT.disabled, 'plain')),
    cell(TEXT.column.rooms, {}, issuer.list_rooms === true
      ? el('span', { text: TEXT.sharedHere })
      : el('span', { class: 'muted', text: TEXT.notShared })),
    cell(TEXT.column.note, { class: 'wrap', text: field(issuer.note) || '—' }),
    cell(TEXT.column.keysFetched, {}, ...fetched),
    cell(TEXT.column.lastError, { class: 'wrap' }, ...(lastError
      ? [el('span', { text: lastError }), el('span', { class: 'sub' }, timeEl(issuer.last_error_at))]
      : [el('span', { class: 'muted', text: TEXT.none })])),
    cell(null, { class: 'shrink' }, el('div', { class: 'row-actions' }, toggle, remove)));
}

/** Lists the instances; after an action the caller keeps what it showed (`keepMessages`), say the server's refusal. */
async function loadIssuers({ keepMessages = false } = {}) {
  const generation = ++issuersGeneration;
  if (!keepMessages) {
    clearError(issuersError);
  }
  let data;
  try {
    data = await getJson('/api/admin/issuers');
  } catch (e) {
    fail(issuersError, e);
    return;
  }
  if (generation !== issuersGeneration) {
    return; // a newer load answered first
  }
  issuersBody.replaceChildren(...data.issuers.map(issuerRow));
  byId('issuers-table').hidden = data.issuers.length === 0;
  byId('issuers-empty').hidden = data.issuers.length > 0;
}

async function setIssuerEnabled(issuer, enabled, button) {
  const name = field(issuer.issuer);
  clearError(issuersError);
  showStatus(issuersStatus, '');
  await whileBusy(button, enabled ? TEXT.enabling : TEXT.disabling, async () => {
    try {
      await api('PATCH', `/api/admin/issuers/${encodeURIComponent(issuer.id)}`, { enabled });
      showStatus(issuersStatus, enabled
        ? TEXT.issuerEnabled(name)
        : TEXT.issuerDisabled(name));
    } catch (e) {
      fail(issuersError, e);
    }
  });
  await loadIssuers({ keepMessages: true });
  // The reload replaced the row; keep the keyboard on its toggle.
  const again = [...issuersBody.querySelectorAll('tr')].find((tr) => tr.dataset.issuerId === field(issuer.id));
  (again ? again.querySelector('button[data-action="toggle"]') : issuerUrl).focus();
}

async function removeIssuer(issuer, button) {
  const name = field(issuer.issuer);
  // The browser's own dialog: modal, keyboard-accessible, and it returns focus to the button when dismissed.
  if (!window.confirm(TEXT.removeIssuerQuestion(name, issuer.list_rooms === true))) {
    return;
  }
  clearError(issuersError);
  showStatus(issuersStatus, '');
  await whileBusy(button, TEXT.removing, async () => {
    try {
      await api('DELETE', `/api/admin/issuers/${encodeURIComponent(issuer.id)}`);
      showStatus(issuersStatus, TEXT.issuerRemoved(name));
    } catch (e) {
      fail(issuersError, e);
    }
  });
  await loadIssuers({ keepMessages: true });
  issuerUrl.focus(); // the row's button is gone with the reload
}

const ISSUER_FIELD_FOR_ERROR = {
  invalid_issuer: issuerUrl,
  own_issuer: issuerUrl,
  issuer_exists: issuerUrl,
  invalid_jwks_url: byId('issuer-jwks'),
};

issuerForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearError(issuerFormError);
  showStatus(issuerFormStatus, '');
  const invalid = firstInvalidField(issuerForm);
  if (invalid) {
    refuse(issuerFormError, invalid.field, invalid.message);
    return;
  }
  const body = { issuer: issuerUrl.value.trim(), list_rooms: byId('issuer-rooms').checked };
  const jwksUrl = byId('issuer-jwks').value.trim();
  const note = byId('issuer-note').value.trim();
  if (jwksUrl) {
    body.jwks_url = jwksUrl; // left out, the server uses <issuer>/.well-known/jwks.json
  }
  if (note) {
    body.note = note;
  }
  await whileBusy(byId('issuer-submit'), TEXT.adding, async () => {
    try {
      const added = await api('POST', '/api/admin/issuers', body);
      issuerForm.reset();
      showStatus(issuerFormStatus, TEXT.issuerAdded(field(added.issuer), field(added.jwks_url)));
      await loadIssuers();
    } catch (e) {
      // 409 public_url_required, issuer_exists; 400 invalid_issuer, own_issuer, ...: the server's sentence says why.
      const target = e instanceof ApiError ? ISSUER_FIELD_FOR_ERROR[e.code] : undefined;
      if (target) {
        refuse(issuerFormError, target, e.message);
      } else {
        fail(issuerFormError, e);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------

async function start() {
  wirePasswordReveal();
  try {
    me = (await getJson('/api/auth/me')).user;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      go(await signInPage().then((page) => (page === '/login' ? '/login?rd=%2Fadmin' : page)).catch(() => '/login'));
      return;
    }
    byId('loading').hidden = true;
    showError(byId('error'), messageFor(e));
    markReady();
    return;
  }
  if (me.role !== 'admin') {
    go('/');
    return;
  }
  byId('loading').hidden = true;
  byId('tabs').hidden = false;
  // Browsers fire popstate, hashchange or both for one step back; showing a tab twice is avoided in followAddress.
  window.addEventListener('popstate', followAddress);
  window.addEventListener('hashchange', followAddress);
  const policy = await passwordPolicy();
  if (policy) {
    wirePasswordLength(byId('new-password'), byId('new-password-length'), policy);
  }
  await followAddress();
  markReady();
}

// An alert's "Audit log" button: the log, filtered to the person it is about.
wireAlerts((username) => {
  byId('audit-user').value = username;
  selectTab(byId('tab-audit'), { focus: true });
});

// The top bar's way out, on every signed-in page.
wireSignOut(byId('sign-out'), byId('error'));

start();
