// The registration page: an invitation link (or open registration) becomes an account, signed in straight away.
import { ApiError, getJson, go, messageFor, passwordPolicy, postJson } from './api.js';
import { TEXT } from './text-register.js';
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

const form = byId('register-form');
const lead = byId('lead');
const username = byId('username');
const password = byId('password');
const confirm = byId('password-confirm');
const submit = byId('submit');
const error = byId('error');

// The invitation rides in the fragment (#invite=...), which browsers never send to servers or in Referer headers.
const invite = new URLSearchParams(window.location.hash.slice(1)).get('invite') || '';

const FIELD_FOR_ERROR = {
  invalid_username: username,
  username_taken: username,
  password_too_short: password,
  password_too_long: password,
};


function needInvite(message) {
  lead.textContent = message;
  form.hidden = true;
  byId('invite-needed').hidden = false;
}

/** The link in the address is dead: say so at once, instead of after the form was filled in. */
function deadInvite() {
  lead.hidden = true;
  form.hidden = true;
  byId('invite-dead').hidden = false;
}

/**
 * Asks the server whether the invitation works now: `{ usable, role }`, or null when it could not say (a limit, no
 * connection), in which case the form is offered and registering is the test. Password sign-in off is thrown.
 */
async function inviteUsable() {
  try {
    return await postJson('/api/auth/registration/invite', { invite });
  } catch (e) {
    if (e instanceof ApiError && e.code === 'password_login_disabled') {
      throw e;
    }
    return null;
  }
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearError(error);
  if (refuseNewPasswordForm(form, error, password, confirm)) {
    return;
  }
  await whileBusy(submit, TEXT.creating, async () => {
    try {
      await postJson('/api/auth/register', { invite, username: username.value.trim(), password: password.value });
      go('/');
    } catch (e) {
      const field = e instanceof ApiError ? FIELD_FOR_ERROR[e.code] : undefined;
      if (field) {
        refuse(error, field, e.message);
      } else if (e instanceof ApiError && e.code === 'invalid_invite') {
        deadInvite(); // used up or withdrawn since the page opened
      } else if (e instanceof ApiError && e.code === 'invite_required') {
        needInvite(e.message);
      } else {
        showError(error, messageFor(e));
      }
    }
  });
});

async function start() {
  wirePasswordReveal();
  const policy = passwordPolicy();
  if (invite) {
    let answer;
    try {
      answer = await inviteUsable();
    } catch (e) {
      needInvite(messageFor(e));
      markReady();
      return;
    }
    if (answer && answer.usable !== true) {
      deadInvite();
      markReady();
      return;
    }
    lead.textContent = answer ? TEXT.invitedAs(answer.role) : TEXT.invited;
    form.hidden = false;
  } else {
    let open = false;
    try {
      open = (await getJson('/api/auth/registration')).open_registration === true;
    } catch (e) {
      needInvite(messageFor(e));
      markReady();
      return;
    }
    if (!open) {
      needInvite(TEXT.inviteNeeded);
      markReady();
      return;
    }
    lead.textContent = TEXT.open;
    form.hidden = false;
  }
  const rule = await policy;
  if (rule) {
    wirePasswordLength(password, byId('password-length'), rule);
  }
  submit.disabled = false;
  username.focus();
  markReady();
}

start();
