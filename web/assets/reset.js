// The reset page: a one-time link (#token=...) from an admin or a mail becomes a new password, once.
import { ApiError, messageFor, passwordPolicy, postJson } from './api.js';
import { TEXT } from './text-reset.js';
import {
  byId, clearError, markReady, refuse, refuseNewPasswordForm, showError, showStatus, whileBusy, wirePasswordLength,
  wirePasswordReveal,
} from './ui.js';

const form = byId('reset-form');
const password = byId('new-password');
const confirm = byId('new-password-confirm');
const submit = byId('submit');
const error = byId('error');

// The token rides in the fragment, which browsers never send to servers or in Referer headers; it leaves the
// address bar at once, so it is not in the history or on the screen for whoever looks next.
const token = new URLSearchParams(window.location.hash.slice(1)).get('token') || '';
if (window.location.hash) {
  history.replaceState(null, '', window.location.pathname);
}

const FIELD_FOR_ERROR = { password_too_short: password, password_too_long: password };

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearError(error);
  if (refuseNewPasswordForm(form, error, password, confirm)) {
    return;
  }
  await whileBusy(submit, TEXT.setting, async () => {
    try {
      const done = await postJson('/api/auth/reset-password', { token, new_password: password.value });
      form.hidden = true;
      byId('lead').hidden = true;
      byId('done').hidden = false;
      showStatus(byId('done-status'), TEXT.done(done.username));
      byId('done-signin').focus();
    } catch (e) {
      const field = e instanceof ApiError ? FIELD_FOR_ERROR[e.code] : undefined;
      if (field) {
        refuse(error, field, e.message);
      } else {
        showError(error, messageFor(e));
      }
    }
  });
});

async function start() {
  wirePasswordReveal();
  if (!token) {
    byId('lead').hidden = true;
    byId('no-link').hidden = false;
  } else {
    const policy = await passwordPolicy();
    if (policy) {
      wirePasswordLength(password, byId('new-password-length'), policy);
    }
    form.hidden = false;
    submit.disabled = false;
    password.focus();
  }
  markReady();
}

start();
