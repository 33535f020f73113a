// The account page's linked sign-ins: the OpenID provider's accounts that open this one, linked and unlinked here.
import { api, fail, getJson } from './api.js';
import { TEXT } from './text-identities.js';
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
    const unlink = el('button', { type: 'button', class: 'secondary', text: TEXT.unlink });
    confirmTwice(unlink, TEXT.reallyUnlink, async () => {
      clearError(error);
      await whileBusy(unlink, TEXT.unlinking, async () => {
        try {
          await api('DELETE', `/api/auth/me/identities/${encodeURIComponent(identity.id)}`);
          showStatus(status, TEXT.unlinked(identity.email || identity.provider));
          await load();
        } catch (e) {
          fail(error, e);
        }
      });
    });
    return el('li', { data: { identity: String(identity.id) } },
      el('strong', { text: identity.email || identity.provider }),
      el('span', { class: 'muted', text: TEXT.linked }), timeEl(identity.linked_at),
      el('span', { class: 'muted', text: TEXT.lastUsed }), timeEl(identity.last_used_at),
      ' ', unlink);
  }

  linkButton.addEventListener('click', async () => {
    clearError(error);
    await whileBusy(linkButton, TEXT.opening, async () => {
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
