// How every page talks to Latch: same-origin JSON, with the HttpOnly session cookie sent by the browser.
// Tokens are never read or stored by scripts: the cookie is the browser's only credential.
import { TEXT } from './text-common.js';
import { showError, whileBusy } from './ui.js';

/** A refusal from the server (or no answer at all); `message` is a sentence meant for the person at the keyboard. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/** The double-submit CSRF token Latch set in the readable `latch_csrf` cookie (see README, CSRF). */
function csrfToken() {
  const match = document.cookie.split('; ').find((c) => c.startsWith('latch_csrf='));
  return match ? decodeURIComponent(match.slice('latch_csrf='.length)) : '';
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Sends a request (a JSON body, or a File as it is) and returns the parsed JSON answer (null for 204); throws
 * ApiError for anything but 2xx.
 */
export async function api(method, path, body) {
  const init = { method, credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' } };
  if (!SAFE_METHODS.has(method)) {
    init.headers['X-CSRF-Token'] = csrfToken();
  }
  if (body instanceof Blob) {
    // A file (an app's icon) goes as it is; the server reads its type from its bytes, not from this header.
    init.headers['Content-Type'] = body.type || 'application/octet-stream';
    init.body = body;
  } else if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'network_error', TEXT.networkError);
  }
  if (res.status === 204) {
    return null;
  }
  const data = await res.json().catch(() => null);
  if (res.ok) {
    return data;
  }
  const message = data && typeof data.message === 'string' && data.message
    ? data.message
    : TEXT.httpError(res.status);
  throw new ApiError(res.status, data && typeof data.error === 'string' ? data.error : 'error', message);
}

export const getJson = (path) => api('GET', path);
export const postJson = (path, body) => api('POST', path, body);

/**
 * `candidate` if it is a path on this site, else `fallback`. Only "/x" forms pass: "//host", "/\host" and
 * anything with a backslash or control character are refused, because browsers read those as another host.
 */
export function safePath(candidate, fallback = '/') {
  if (typeof candidate !== 'string' || candidate.length === 0 || candidate.length > 2048) {
    return fallback;
  }
  if (candidate[0] !== '/' || candidate[1] === '/' || /[\\\u0000-\u001f\u007f]/.test(candidate)) {
    return fallback;
  }
  let url;
  try {
    url = new URL(candidate, window.location.origin);
  } catch {
    return fallback;
  }
  return url.origin === window.location.origin ? url.pathname + url.search + url.hash : fallback;
}

/**
 * Signs this browser out; then on to the provider to end its session too when the server says so (RP-initiated
 * logout), else to the sign-in page, which says it is done.
 */
export async function signOut() {
  const answer = await api('POST', '/api/auth/logout');
  if (answer && typeof answer.redirect === 'string' && /^https?:\/\//i.test(answer.redirect)) {
    window.location.assign(answer.redirect);
    return;
  }
  go('/login?signed_out=1');
}

/** Makes `button` (the top bar's "Sign out") sign out; a refusal shows in `region`. */
export function wireSignOut(button, region) {
  button.addEventListener('click', async () => {
    await whileBusy(button, TEXT.signingOut, async () => {
      try {
        await signOut();
      } catch (e) {
        showError(region, messageFor(e));
      }
    });
  });
}

/**
 * The password policy's lengths, `{ min, max }`, from the server's public options (`config`, when the page already
 * has them), for the pages that set a password; null when the server cannot be asked (the page then keeps the rule
 * its HTML states, and its next request says why).
 */
export async function passwordPolicy(config) {
  let options = config;
  if (options === undefined) {
    try {
      options = await getJson('/api/auth/config');
    } catch {
      return null;
    }
  }
  const min = options && options.password_min_length;
  const max = options && options.password_max_length;
  return Number.isInteger(min) && Number.isInteger(max) ? { min, max } : null;
}

/** Leaves for another page of this site without a history entry, so Back does not return to a redirect. */
export function go(path) {
  window.location.replace(safePath(path));
}

/** Where a signed-out visitor belongs: the first-run page until an admin exists, else sign-in. */
export async function signInPage() {
  const status = await getJson('/api/setup/status');
  return status && status.setup_required ? '/setup' : '/login';
}

/** The sentence to show for a failure: the server's own message, or a plain one for a bug in the page. */
export function messageFor(error) {
  if (error instanceof ApiError) {
    return error.message;
  }
  console.error(error);
  return TEXT.pageError;
}

/** Sends a visitor whose session has ended to sign in, and back to this page afterwards; true when it did. */
export function leaveIfSignedOut(error) {
  if (!(error instanceof ApiError) || error.status !== 401) {
    return false;
  }
  const here = window.location.pathname + window.location.search + window.location.hash;
  go(`/login?rd=${encodeURIComponent(here)}`);
  return true;
}

/** Shows a refusal in `region`, unless the session is gone, in which case the visitor is sent to sign in. */
export function fail(region, error) {
  if (!leaveIfSignedOut(error)) {
    showError(region, messageFor(error));
  }
}
