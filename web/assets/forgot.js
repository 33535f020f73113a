// The forgot-password page: asks for a reset link by mail when this Latch can send mail, else says to ask an admin.
import { ApiError, getJson, messageFor, postJson } from './api.js';
import { TEXT } from './text-forgot.js';
import { byId, clearError, firstInvalidField, markReady, refuse, showError, showStatus, whileBusy } from './ui.js';

const form = byId('forgot-form');
const name = byId('username-or-email');
const submit = byId('submit');
const error = byId('error');

function askAdmin(message) {
  form.hidden = true;
  if (message) {
    byId('ask-admin-text').textContent = message;
  }
  byId('ask-admin').hidden = false;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearError(error);
  const invalid = firstInvalidField(form);
  if (invalid) {
    refuse(error, invalid.field, invalid.message);
    return;
  }
  await whileBusy(submit, TEXT.sending, async () => {
    try {
      // The answer is the same whether or not the account exists: the page cannot tell, and says so.
      const answer = await postJson('/api/auth/forgot-password', { username_or_email: name.value.trim() });
      form.hidden = true;
      byId('sent').hidden = false;
      showStatus(byId('sent-status'), answer.message);
    } catch (e) {
      if (e instanceof ApiError && (e.code === 'password_reset_by_mail_off' || e.code === 'password_login_disabled')) {
        askAdmin(e.message);
      } else {
        showError(error, messageFor(e));
      }
    }
  });
});

async function start() {
  try {
    if ((await getJson('/api/auth/forgot-password')).reset_by_mail === true) {
      form.hidden = false;
      submit.disabled = false;
      name.focus();
    } else {
      askAdmin();
    }
  } catch (e) {
    askAdmin(messageFor(e));
  }
  byId('loading').hidden = true;
  markReady();
}

start();
