// The sign-in page: username and password in, the session cookie back, then on to the page asked for.
import { ApiError, go, messageFor, postJson, safePath, signInPage } from './api.js';
import { byId, clearError, firstInvalidField, markReady, showError, whileBusy, wirePasswordReveal } from './ui.js';

const form = byId('login-form');
const username = byId('username');
const password = byId('password');
const submit = byId('submit');
const error = byId('error');

// Only a path on this site is ever followed, so a crafted sign-in link cannot send anyone elsewhere.
const returnTo = safePath(new URLSearchParams(window.location.search).get('rd'), '/');

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearError(error);
  const invalid = firstInvalidField(form);
  if (invalid) {
    showError(error, invalid.message);
    invalid.field.focus();
    return;
  }
  await whileBusy(submit, 'Signing in…', async () => {
    try {
      await postJson('/api/auth/login', { username: username.value.trim(), password: password.value });
      go(returnTo);
    } catch (e) {
      showError(error, messageFor(e));
      if (e instanceof ApiError && e.code === 'invalid_credentials') {
        password.select();
        password.focus();
      }
    }
  });
});

async function start() {
  wirePasswordReveal();
  try {
    if ((await signInPage()) === '/setup') {
      go('/setup');
      return;
    }
  } catch (e) {
    showError(error, messageFor(e));
  }
  submit.disabled = false;
  markReady();
}

start();
