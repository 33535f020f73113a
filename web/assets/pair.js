// The device pairing page (RFC 8628 §3.3): a device shows a code, you type it here (or follow its link with the code
// in it), see what it asks for, and approve or deny. The device fetches its token itself.
import { api, ApiError, fail, getJson, go, messageFor, signInPage } from './api.js';
import { scopeFieldsets } from './scope-words.js';
import { TEXT } from './text-pair.js';
import { byId, clearError, formatExact, formatRelative, markReady, showError, whileBusy } from './ui.js';

const pageError = byId('error');
const stepCode = byId('step-code');
const stepRequest = byId('step-request');
const stepDone = byId('step-done');
const links = byId('pair-links');

const codeForm = byId('code-form');
const codeInput = byId('user-code');
const codeError = byId('code-error');

const approveForm = byId('approve-form');
const scopeBox = byId('request-scopes');
const tokenName = byId('device-token-name');
const expiry = byId('device-token-expiry');
const approveError = byId('approve-error');
const approveButton = byId('approve');
const denyButton = byId('deny');

/** The request on screen, as the server described it. */
let request = null;
/** Redraws the request's "expires in …" until it expires; replaced for each request shown. */
let expiryTimer = null;


/** XXXX-XXXX from what someone typed (any case, spaces or dash or none); null when it cannot be a code. */
function normalise(typed) {
  const raw = typed.replace(/[\s-]/g, '').toUpperCase();
  return /^[A-Z]{8}$/.test(raw) ? `${raw.slice(0, 4)}-${raw.slice(4)}` : null;
}

function show(step) {
  for (const s of [stepCode, stepRequest, stepDone]) {
    s.hidden = s !== step;
  }
  links.hidden = step !== stepDone;
}

function showCodeStep({ focus = true } = {}) {
  request = null;
  clearInterval(expiryTimer);
  show(stepCode);
  if (focus) {
    codeInput.focus();
    codeInput.select();
  }
}

async function lookUp(typed) {
  clearError(codeError);
  codeInput.removeAttribute('aria-invalid');
  const code = normalise(typed);
  if (!code) {
    // Checked here, so a typo does not count as a wrong guess against the limit.
    showError(codeError, TEXT.badCode);
    codeInput.setAttribute('aria-invalid', 'true');
    codeInput.focus();
    return;
  }
  codeInput.value = code;
  try {
    showRequest(await getJson(`/api/auth/device?user_code=${encodeURIComponent(code)}`));
  } catch (e) {
    fail(codeError, e);
    codeInput.setAttribute('aria-invalid', 'true');
    codeInput.focus();
    codeInput.select();
  }
}

/** "in 9 minutes", redrawn as time passes; at expiry the request says so and can no longer be approved. */
function showExpiry(iso) {
  clearInterval(expiryTimer);
  const deadline = new Date(iso).getTime();
  const time = byId('request-expires');
  time.dateTime = iso;
  time.title = formatExact(deadline);
  const draw = () => {
    const seconds = (deadline - Date.now()) / 1000;
    const expired = seconds <= 0;
    byId('request-live').hidden = expired;
    byId('request-dead').hidden = !expired;
    if (expired) {
      clearInterval(expiryTimer);
      approveButton.disabled = true;
      return;
    }
    // Whole minutes, rounded up, so the last minute still reads "in 1 minute" rather than "now".
    const text = seconds >= 60 ? formatRelative(Math.ceil(seconds / 60), 'minute') : formatRelative(Math.ceil(seconds), 'second');
    if (time.textContent !== text) {
      time.textContent = text;
    }
  };
  // Checked every second, redrawn only when the words change: once a minute, every second in the last minute.
  expiryTimer = setInterval(draw, 1000);
  draw();
}

function showRequest(described) {
  request = described;
  byId('client-name').textContent = described.client_name;
  byId('request-code').textContent = described.user_code;
  const grantable = new Set(described.grantable_scopes);
  scopeBox.replaceChildren(...scopeFieldsets(described.requested_scopes, {
    idPrefix: 'grant',
    checked: (scope) => grantable.has(scope),
    refusal: (scope) => (grantable.has(scope) ? null : TEXT.cannotGrant),
  }));
  byId('nothing-grantable').hidden = grantable.size > 0;
  approveButton.disabled = grantable.size === 0;
  showExpiry(described.expires_at);
  tokenName.value = described.client_name;
  // The default lives in the page (the option marked selected): a finite lifetime, so a lost device's access ends.
  expiry.value = [...expiry.options].find((o) => o.defaultSelected).value;
  clearError(approveError);
  show(stepRequest);
  byId('request-title').focus();
}

function showDone(approved) {
  clearInterval(expiryTimer);
  byId('done-mark').textContent = approved ? '✓' : '✕';
  byId('done-mark').classList.toggle('denied', !approved);
  byId('done-title').textContent = approved ? TEXT.approvedTitle : TEXT.deniedTitle;
  byId('done-text').textContent = approved
    ? TEXT.approved(request.client_name)
    : TEXT.denied(request.client_name);
  // A reload must not offer the used code again.
  history.replaceState(null, '', '/pair');
  show(stepDone);
  byId('done-title').focus();
}

/** A decision that cannot be made any more (expired, decided elsewhere) sends the person back to the code step. */
function refuseDecision(e) {
  if (e instanceof ApiError && (e.status === 404 || e.code === 'already_decided')) {
    showCodeStep();
    codeInput.value = '';
    fail(codeError, e);
    return;
  }
  fail(approveError, e);
}

codeForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  await whileBusy(byId('code-submit'), TEXT.checking, () => lookUp(codeInput.value));
});

approveForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearError(approveError);
  const chosen = [...scopeBox.querySelectorAll('input:checked:not(:disabled)')].map((b) => b.value);
  if (chosen.length === 0) {
    // Never send an empty list: the server reads it as "everything I can grant".
    showError(approveError, TEXT.noScopeTicked);
    const first = scopeBox.querySelector('input:not(:disabled)');
    if (first) {
      first.focus();
    }
    return;
  }
  await whileBusy(approveButton, TEXT.approving, async () => {
    try {
      await api('POST', '/api/auth/device/approve', {
        user_code: request.user_code,
        scopes: chosen,
        name: tokenName.value.trim() || request.client_name,
        expires_in_seconds: expiry.value === 'never' ? null : Number(expiry.value),
      });
      showDone(true);
    } catch (e) {
      refuseDecision(e);
    }
  });
});

denyButton.addEventListener('click', async () => {
  clearError(approveError);
  await whileBusy(denyButton, TEXT.denying, async () => {
    try {
      await api('POST', '/api/auth/device/deny', { user_code: request.user_code });
      showDone(false);
    } catch (e) {
      refuseDecision(e);
    }
  });
});

byId('other-code').addEventListener('click', () => {
  codeInput.value = '';
  clearError(codeError);
  history.replaceState(null, '', '/pair');
  showCodeStep();
});

async function start() {
  try {
    const { user } = await getJson('/api/auth/me');
    byId('approver-name').textContent = user.display_name || user.username;
    byId('approver').hidden = false;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      // Sign in first, then come back here with the code still in the address.
      const here = window.location.pathname + window.location.search;
      go(await signInPage().then((page) => (page === '/login' ? `/login?rd=${encodeURIComponent(here)}` : page))
        .catch(() => '/login'));
      return;
    }
    byId('loading').hidden = true;
    showError(pageError, messageFor(e));
    markReady();
    return;
  }
  byId('loading').hidden = true;
  const given = new URLSearchParams(window.location.search).get('code');
  if (given) {
    codeInput.value = given.slice(0, 20);
    show(stepCode);
    await lookUp(codeInput.value);
  } else {
    showCodeStep();
  }
  markReady();
}

start();
