// The sign-in page: username and password in, the session cookie back, then on to the page asked for.
import { getJson, go, messageFor, postJson, safePath, signInPage } from './api.js';
import { byId, clearError, firstInvalidField, markReady, showError, whileBusy, wirePasswordReveal } from './ui.js';
import { TEXT } from './text-login.js';

const form = byId('login-form');
const username = byId('username');
const password = byId('password');
const submit = byId('submit');
const error = byId('error');

// A path on this site is followed as is; an absolute URL (an app behind forward-auth) only once the server has
// checked it is on an allowed domain, so a crafted sign-in link cannot send anyone elsewhere.
const rd = new URLSearchParams(window.location.search).get('rd');
const returnTo = safePath(rd, '/');

// A one-time sign-in link (`admin login-link`) carries its token in the fragment, which never reaches a server log;
// it leaves the address bar before it is used, so it stays in neither the history nor on the screen.
const loginToken = new URLSearchParams(window.location.hash.slice(1)).get('login_token');
if (loginToken !== null) {
  history.replaceState(null, '', window.location.pathname + window.location.search);
}

async function leave() {
  if (typeof rd === 'string' && /^https?:\/\//i.test(rd)) {
    let url = '/';
    try {
      url = (await getJson(`/api/auth/redirect?rd=${encodeURIComponent(rd)}`)).url;
    } catch {
      url = '/';
    }
    if (typeof url === 'string' && /^https?:\/\//i.test(url)) {
      window.location.replace(url);
      return;
    }
    go(url);
    return;
  }
  go(returnTo);
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearError(error);
  const invalid = firstInvalidField(form);
  if (invalid) {
    showError(error, invalid.message);
    invalid.field.focus();
    return;
  }
  await whileBusy(submit, TEXT.signingIn, async () => {
    try {
      await postJson('/api/auth/login', { username: username.value.trim(), password: password.value });
      await leave();
    } catch (e) {
      // Focus goes to the message (showError): a refusal does not say which of the two fields is wrong.
      showError(error, messageFor(e));
    }
  });
});

const params = new URLSearchParams(window.location.search);

/**
 * Shows the ways of signing in the server has on: the provider's button, the password form, or both. With
 * autologin the page goes straight to the provider, unless the visitor asked for this page (?local=1), just
 * signed out, or came with something in the fragment (a sign-in link) that this page must handle itself.
 */
function showWays(config) {
  if (config.oidc_enabled) {
    byId('sso-name').textContent = config.oidc_provider;
    const startAt = `/api/login/openid${rd ? `?rd=${encodeURIComponent(rd)}` : ''}`;
    byId('sso-button').addEventListener('click', () => window.location.assign(startAt));
    byId('sso').hidden = false;
    byId('sso-or').hidden = !config.password_login;
    const stay = params.has('local') || params.has('signed_out') || loginToken !== null;
    if (config.oidc_autologin && !stay) {
      window.location.replace(startAt);
      return false;
    }
  }
  form.hidden = false;
  if (!config.password_login) {
    // The server refuses passwords too: the fields would only invite a refusal. The error region stays.
    for (const part of form.children) {
      part.hidden = part !== error;
    }
    if (config.oidc_enabled) {
      byId('sso-button').focus(); // not a hidden field
    }
  }
  return true;
}

async function start() {
  wirePasswordReveal();
  if (loginToken) {
    try {
      await postJson('/api/auth/login-link', { token: loginToken });
      await leave();
      return;
    } catch (e) {
      showError(error, messageFor(e));
    }
  }
  let config = { password_login: true, oidc_enabled: false };
  try {
    if ((await signInPage()) === '/setup') {
      go('/setup');
      return;
    }
    config = await getJson('/api/auth/config');
  } catch (e) {
    showError(error, messageFor(e));
  }
  byId('signed-out').hidden = !params.has('signed_out');
  if (!showWays(config)) {
    return;
  }
  submit.disabled = false;
  markReady();
}

start();
