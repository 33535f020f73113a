// The signed-in home page: a greeting, the apps this person may open (the launcher), where to manage your account
// (and Latch, for admins), and a way to sign out.
import { ApiError, fail, getJson, go, messageFor, signInPage, signOut } from './api.js';
import { symbolIcon } from './app-symbols.js';
import { TEXT } from './text-index.js';
import { byId, clearError, el, markReady, showError, whileBusy } from './ui.js';

const error = byId('error');
const logout = byId('logout');

logout.addEventListener('click', async () => {
  clearError(error);
  await whileBusy(logout, TEXT.signingOut, async () => {
    try {
      await signOut();
    } catch (e) {
      showError(error, messageFor(e));
    }
  });
});

/** The app's address if it is an absolute http(s) URL (the server allows no other), else null: never a script link. */
function safeAppUrl(value) {
  if (typeof value !== 'string') {
    return null;
  }
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** An uploaded icon comes from Latch itself; a symbol is drawn here. */
function appIcon(app) {
  if (typeof app.icon_url === 'string' && app.icon_url.startsWith('/api/apps/')) {
    return el('span', { class: 'app-icon image' },
      el('img', { src: app.icon_url, alt: '', width: '48', height: '48', decoding: 'async' }));
  }
  return el('span', { class: 'app-icon' }, symbolIcon(app.icon));
}

function appTile(app) {
  const href = safeAppUrl(app.url);
  if (!href || typeof app.name !== 'string') {
    return null;
  }
  return el('li', { data: { appId: String(app.id) } },
    el('a', { href, class: 'app' }, appIcon(app), el('span', { class: 'app-name', text: app.name })));
}

async function loadApps(isAdmin) {
  const list = byId('apps');
  try {
    const data = await getJson('/api/apps');
    list.replaceChildren(...data.apps.map(appTile).filter(Boolean));
  } catch (e) {
    fail(byId('apps-error'), e);
    return;
  } finally {
    byId('apps-loading').hidden = true;
  }
  const empty = list.children.length === 0;
  byId('apps-empty').hidden = !empty;
  byId('apps-add').hidden = !(empty && isAdmin);
}

async function start() {
  let me;
  try {
    me = await getJson('/api/auth/me');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      go(await signInPage().catch(() => '/login'));
      return;
    }
    byId('loading').hidden = true;
    showError(error, messageFor(e));
    markReady();
    return;
  }
  const isAdmin = me.user.role === 'admin';
  const displayName = typeof me.user.display_name === 'string' ? me.user.display_name.trim() : '';
  byId('greeting').textContent = TEXT.greeting(displayName || me.user.username);
  byId('who-username').textContent = me.user.username;
  byId('who-role').textContent = TEXT.role[me.user.role] || me.user.role;
  byId('admin-link').hidden = !isAdmin;
  byId('loading').hidden = true;
  byId('account').hidden = false;
  await loadApps(isAdmin);
  markReady();
}

start();
