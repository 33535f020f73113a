// The account page: your profile, your password, where you are signed in, your API tokens, what happened to your
// account, and your data (download it, or delete the account).
import { api, ApiError, fail, getJson, go, messageFor, passwordPolicy, signInPage, wireSignOut } from './api.js';
import { EventLog } from './events.js';
import { wireIdentities } from './identities.js';
import { TEXT } from './text-account.js';
import { wireTokens } from './tokens.js';
import {
  byId,
  clearError,
  confirmTwice,
  describeAgent,
  el,
  firstInvalidField,
  markReady,
  refuse,
  showError,
  showStatus,
  timeEl,
  whileBusy,
  wirePasswordLength,
  wirePasswordReveal,
} from './ui.js';

const pageError = byId('error');

// Profile
const profileForm = byId('profile-form');
const displayName = byId('display-name');
const email = byId('email');
const netplayName = byId('netplay-username');
// The netplay name as last shown, to tell a change from the default saved as it was.
let shownNetplayName = '';
const profileError = byId('profile-error');
const profileStatus = byId('profile-status');

// Password
const passwordForm = byId('password-form');
const currentPassword = byId('current-password');
const newPassword = byId('new-password');
const confirmPassword = byId('new-password-confirm');
const passwordError = byId('password-error');
const passwordStatus = byId('password-status');
const revokeTokens = byId('revoke-tokens');

// Sessions
const sessionsBody = byId('sessions-body');
const sessionsError = byId('sessions-error');
const sessionsStatus = byId('sessions-status');
const logoutOthers = byId('logout-others');
const logoutEverywhere = byId('logout-everywhere');

// The API tokens section, once wired: a password change that revokes them reloads its list.
let tokens = null;

const events = new EventLog({
  path: '/api/auth/me/events',
  body: byId('events-body'),
  older: byId('events-older'),
  empty: byId('events-empty'),
  error: byId('events-error'),
});



function showMe(user) {
  byId('me-username').textContent = user.username;
  byId('me-role').textContent = user.role;
  byId('password-username').value = user.username;
  byId('nav-admin').hidden = user.role !== 'admin';
  displayName.value = user.display_name || '';
  email.value = user.email || '';
  // The name others see now: the chosen one, else the username.
  shownNetplayName = user.netplay_username || user.username;
  netplayName.value = shownNetplayName;
}

const PROFILE_FIELD_FOR_ERROR = {
  invalid_display_name: displayName,
  invalid_email: email,
  invalid_netplay_username: netplayName,
  netplay_username_taken: netplayName,
};

profileForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearError(profileError);
  showStatus(profileStatus, '');
  const invalid = firstInvalidField(profileForm);
  if (invalid) {
    refuse(profileError, invalid.field, invalid.message);
    return;
  }
  await whileBusy(byId('profile-submit'), TEXT.saving, async () => {
    try {
      const profile = { display_name: displayName.value.trim(), email: email.value.trim() };
      // Sent only when changed, so saving the shown default does not turn it into a chosen name; empty resets it.
      if (netplayName.value.trim() !== shownNetplayName) {
        profile.netplay_username = netplayName.value.trim();
      }
      const me = await api('PATCH', '/api/auth/me', profile);
      showMe(me.user);
      showStatus(profileStatus, TEXT.profileSaved);
      events.reload();
    } catch (e) {
      const field = e instanceof ApiError ? PROFILE_FIELD_FOR_ERROR[e.code] : undefined;
      if (field) {
        refuse(profileError, field, e.message);
      } else {
        fail(profileError, e);
      }
    }
  });
});

const PASSWORD_FIELD_FOR_ERROR = {
  invalid_current_password: currentPassword,
  password_too_short: newPassword,
  password_too_long: newPassword,
};

passwordForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearError(passwordError);
  showStatus(passwordStatus, '');
  const invalid = firstInvalidField(passwordForm);
  if (invalid) {
    refuse(passwordError, invalid.field, invalid.message);
    return;
  }
  if (newPassword.value !== confirmPassword.value) {
    refuse(passwordError, confirmPassword, TEXT.newPasswordsDiffer);
    return;
  }
  await whileBusy(byId('password-submit'), TEXT.changing, async () => {
    try {
      // This browser gets a fresh session cookie in the answer; every other session ends, and API tokens unless kept.
      const revoke = revokeTokens.checked;
      await api('PUT', '/api/auth/me/password',
        { current_password: currentPassword.value, new_password: newPassword.value, revoke_client_tokens: revoke });
      passwordForm.reset(); // the checkbox goes back to checked for the next change
      showStatus(passwordStatus, revoke
        ? TEXT.passwordChangedTokensRevoked
        : TEXT.passwordChangedTokensKept);
      await Promise.all([loadSessions(), events.reload(), revoke && tokens ? tokens.load() : null]);
    } catch (e) {
      const field = e instanceof ApiError ? PASSWORD_FIELD_FOR_ERROR[e.code] : undefined;
      if (field) {
        refuse(passwordError, field, e.message);
        if (field === currentPassword) {
          currentPassword.select();
        }
      } else {
        fail(passwordError, e);
      }
    }
  });
});

function sessionRow(session) {
  const device = el('td', { class: 'wrap' },
    el('span', { title: session.user_agent || undefined, text: describeAgent(session.user_agent) }),
    session.current ? ' ' : null,
    session.current ? el('span', { class: 'badge ok', text: TEXT.thisDevice }) : null,
    el('span', { class: 'sub', text: session.kind === 'oauth' ? TEXT.appSignIn : TEXT.browser }));
  const action = el('td', { class: 'nowrap' });
  if (!session.current) {
    const button = el('button', {
      type: 'button', class: 'secondary small', data: { action: 'end-session' },
      'aria-label': TEXT.signOutLabel(describeAgent(session.user_agent), session.ip), text: TEXT.signOut,
    });
    button.addEventListener('click', () => endSession(session, button));
    action.append(button);
  }
  return el('tr', { data: { sessionId: session.id, current: String(Boolean(session.current)) } },
    device,
    el('td', { class: 'nowrap', text: session.ip || '—' }),
    el('td', { class: 'nowrap' }, timeEl(session.created_at)),
    el('td', { class: 'nowrap' }, timeEl(session.last_seen_at)),
    action);
}

async function endSession(session, button) {
  clearError(sessionsError);
  showStatus(sessionsStatus, '');
  await whileBusy(button, TEXT.signingOut, async () => {
    try {
      await api('DELETE', `/api/auth/sessions/${encodeURIComponent(session.id)}`);
      showStatus(sessionsStatus, TEXT.signedOut(describeAgent(session.user_agent)));
      await loadSessions();
      logoutOthers.focus(); // the row and its button are gone
      events.reload();
    } catch (e) {
      fail(sessionsError, e);
    }
  });
}

async function loadSessions() {
  clearError(sessionsError);
  try {
    const data = await getJson('/api/auth/sessions');
    // Newest first, with this device on top.
    const sessions = data.sessions.slice().sort((a, b) =>
      Number(b.current) - Number(a.current) || String(b.last_seen_at).localeCompare(String(a.last_seen_at)));
    sessionsBody.replaceChildren(...sessions.map(sessionRow));
    logoutOthers.disabled = sessions.every((s) => s.current);
  } catch (e) {
    fail(sessionsError, e);
  }
}

logoutOthers.addEventListener('click', async () => {
  clearError(sessionsError);
  showStatus(sessionsStatus, '');
  await whileBusy(logoutOthers, TEXT.signingOut, async () => {
    try {
      const result = await api('POST', '/api/auth/logout-all', { include_current: false });
      showStatus(sessionsStatus, TEXT.signedOutOthers(result.ended));
      await loadSessions();
      events.reload();
    } catch (e) {
      fail(sessionsError, e);
    }
  });
  logoutOthers.disabled = sessionsBody.querySelectorAll('tr[data-current="false"]').length === 0;
});

confirmTwice(logoutEverywhere, TEXT.reallySignOutEverywhere, async () => {
  clearError(sessionsError);
  await whileBusy(logoutEverywhere, TEXT.signingOut, async () => {
    try {
      await api('POST', '/api/auth/logout-all', { include_current: true });
      go('/login?signed_out=1');
    } catch (e) {
      fail(sessionsError, e);
    }
  });
});

// Your data: download it all, or delete the account with it.
const dataError = byId('data-error');
const dataStatus = byId('data-status');
const dataDownload = byId('data-download');
const deletePassword = byId('delete-password');
const deleteError = byId('delete-error');
const deleteSubmit = byId('delete-submit');

dataDownload.addEventListener('click', async () => {
  clearError(dataError);
  showStatus(dataStatus, '');
  await whileBusy(dataDownload, TEXT.preparing, async () => {
    try {
      const data = await getJson('/api/auth/me/export');
      // Saved from memory, so the file never passes through a URL or the browser's cache.
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
      const link = el('a', { href: url, download: 'latch-my-data.json', hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      showStatus(dataStatus, TEXT.dataSaved('latch-my-data.json', data.sessions.length, data.client_tokens.length,
        data.audit_events.length));
      events.reload();
    } catch (e) {
      fail(dataError, e);
    }
  });
});

byId('delete-form').addEventListener('submit', (event) => event.preventDefault());

confirmTwice(deleteSubmit, TEXT.reallyDelete, async () => {
  clearError(deleteError);
  await whileBusy(deleteSubmit, TEXT.deleting, async () => {
    try {
      const password = deletePassword.value;
      await api('DELETE', '/api/auth/me', password ? { current_password: password } : undefined);
      go('/login');
    } catch (e) {
      if (e instanceof ApiError && (e.code === 'invalid_current_password' || e.code === 'invalid_request')) {
        refuse(deleteError, deletePassword, e.message);
        deletePassword.select();
      } else {
        fail(deleteError, e);
      }
    }
  });
});

async function start() {
  wirePasswordReveal();
  let me;
  try {
    me = await getJson('/api/auth/me');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      go(await signInPage().then((page) => (page === '/login' ? '/login?rd=%2Faccount' : page)).catch(() => '/login'));
      return;
    }
    byId('loading').hidden = true;
    showError(pageError, messageFor(e));
    markReady();
    return;
  }
  showMe(me.user);
  tokens = wireTokens({ scopes: me.user.scopes || [], changed: () => events.reload() });
  const config = await getJson('/api/auth/config').catch(() => ({ oidc_enabled: false }));
  const policy = await passwordPolicy(config);
  if (policy) {
    wirePasswordLength(newPassword, byId('new-password-length'), policy);
  }
  const [, , , linked] = await Promise.all([loadSessions(), tokens.load(), events.reload(),
    wireIdentities(config).catch((e) => { fail(pageError, e); return false; })]);
  byId('loading').hidden = true;
  for (const id of ['profile', 'password', 'sessions', 'tokens', 'events', 'data']) {
    byId(id).hidden = false;
  }
  byId('identities').hidden = !linked;
  // The sections were hidden when the browser looked for the fragment's target (the pair page links to #tokens).
  if (window.location.hash === '#tokens') {
    byId('tokens').scrollIntoView();
  }
  markReady();
}

// The top bar's way out, on every signed-in page.
wireSignOut(byId('sign-out'), pageError);

start();
