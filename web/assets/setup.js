// The first-run page: whoever can read the setup code from the server claims the instance as its admin.
import { ApiError, go, messageFor, passwordPolicy, postJson, signInPage } from './api.js';
import { TEXT } from './text-setup.js';
import {
  byId,
  clearError,
  markReady,
  refuse,
  refuseNewPasswordForm,
  showError,
  whileBusy,
  wirePasswordLength,
  wirePasswordReveal,
} from './ui.js';

const form = byId('setup-form');
const setupCode = byId('setup-code');
const username = byId('username');
const password = byId('password');
const confirm = byId('password-confirm');
const submit = byId('submit');
const error = byId('error');

// Which field a server refusal is about, so focus lands where the fix is typed.
const FIELD_FOR_ERROR = {
  invalid_setup_code: setupCode,
  invalid_username: username,
  password_too_short: password,
  password_too_long: password,
};


form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearError(error);
  if (refuseNewPasswordForm(form, error, password, confirm)) {
    return;
  }
  await whileBusy(submit, TEXT.creating, async () => {
    try {
      await postJson('/api/setup/admin', {
        setup_code: setupCode.value.trim(),
        username: username.value.trim(),
        password: password.value,
      });
      go('/');
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
  try {
    if ((await signInPage()) === '/login') {
      go('/login');
      return;
    }
  } catch (e) {
    showError(error, messageFor(e));
  }
  const policy = await passwordPolicy();
  if (policy) {
    wirePasswordLength(password, byId('password-length'), policy);
  }
  submit.disabled = false;
  markReady();
}

start();
