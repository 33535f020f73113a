// The account page's linked sign-ins: the OpenID provider's accounts that open this one, linked and unlinked here.
import { api, fail, getJson } from './api.js';
import { byId, clearError, confirmTwice, el, showStatus, timeEl, whileBusy } from './ui.js';

/** Wires the section when single sign-on is on; resolves to false (section stays hidden) when it is off. */
export async function wireIdentities(config) {
  if (!config.oidc_enabled) {
    return false;
  }
  const section = byId('identities');
  const list = byId('identities-list');
  const empty = byId('identities-empty');
  const error = byId('identities-error');
  const status = byId('identities-status');
  const linkButton = byId('identity-link');
  for (const name of section.querySelectorAll('.provider-name')) {
    name.textContent = config.oidc_provider;
  }

  async function load() {
    const { identities } = await getJson('/api/auth/me/identities');
    list.replaceChildren(...identities.map(row));
    empty.hidden = identities.length > 0;
  }

  function row(identity) {
    const unlink = el('button', { type: 'button', class: 'secondary', text: 'Unlink' });
    confirmTwice(unlink, 'Really unlink?', async () => {
      clearError(error);
      await whileBusy(unlink, 'Unlinking…', async () => {
        try {
          await api('DELETE', `/api/auth/me/identities/${encodeURIComponent(identity.id)}`);
          showStatus(status, `Unlinked ${identity.email || identity.provider}.`);
          await load();
        } catch (e) {
          fail(error, e);
        }
      });
    });
    return el('li', { data: { identity: String(identity.id) } },
      el('strong', { text: identity.email || identity.provider }),
      el('span', { class: 'muted', text: ' · linked ' }), timeEl(identity.linked_at),
      el('span', { class: 'muted', text: ' · last used ' }), timeEl(identity.last_used_at),
      ' ', unlink);
  }

  linkButton.addEventListener('click', async () => {
    clearError(error);
    await whileBusy(linkButton, 'Opening…', async () => {
      try {
        const { url } = await api('POST', '/api/auth/me/identities/openid');
        window.location.assign(url);
      } catch (e) {
        fail(error, e);
      }
    });
  });

  await load();
  return true;
}
