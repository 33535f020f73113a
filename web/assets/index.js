// The signed-in home page: who you are, where to manage your account (and Latch, for admins), and a way to sign out.
import { ApiError, getJson, go, messageFor, signInPage, signOut } from './api.js';
import { byId, clearError, markReady, showError, whileBusy } from './ui.js';

const error = byId('error');
const logout = byId('logout');

logout.addEventListener('click', async () => {
  clearError(error);
  await whileBusy(logout, 'Signing out…', async () => {
    try {
      await signOut();
    } catch (e) {
      showError(error, messageFor(e));
    }
  });
});

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
  byId('who-username').textContent = me.user.username;
  byId('who-role').textContent = me.user.role;
  byId('admin-link').hidden = me.user.role !== 'admin';
  byId('loading').hidden = true;
  byId('account').hidden = false;
  markReady();
}

start();
