// The account page's API tokens: create one with some of your scopes, copy its secret once, and per token revoke,
// regenerate or hand it to a device with a one-minute pairing code.
import { api, fail, getJson } from './api.js';
import { scopeFieldsets, scopeWords } from './scope-words.js';
import { TEXT } from './text-tokens.js';
import { byId, clearError, confirmTwice, el, firstInvalidField, showError, showStatus, timeEl, whileBusy } from './ui.js';

const DAY = 86400;

function badge(text, kind) {
  return el('span', { class: `badge ${kind}`, text });
}

/** Copies the text of a read-only input, or selects it when the clipboard is out of reach (plain HTTP, no focus). */
async function copyField(input, status) {
  try {
    await navigator.clipboard.writeText(input.value);
    status.textContent = TEXT.copied;
  } catch {
    input.focus();
    input.select();
    status.textContent = TEXT.selectedToCopy;
  }
}

/** Seconds left as "0:59". */
function clock(seconds) {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/**
 * Wires the API tokens section. `scopes` are the signed-in user's (the picker offers exactly these);
 * `changed` runs after anything that writes a security event, so the page can refresh its event list.
 */
export function wireTokens({ scopes, changed }) {
  const form = byId('token-form');
  const name = byId('token-name');
  const expiry = byId('token-expiry');
  const daysField = byId('token-days-field');
  const days = byId('token-days');
  const networks = byId('token-networks');
  const scopeBox = byId('token-scopes');
  const formError = byId('token-error');
  const created = byId('token-created');
  const secret = byId('token-secret');
  const copyStatus = byId('token-copy-status');
  const list = byId('tokens-list');
  const empty = byId('tokens-empty');
  const listError = byId('tokens-error');
  const listStatus = byId('tokens-status');

  // Presets tick the boxes for you; "Choose…" shows the boxes. The boxes always hold what will be sent.
  const presets = {
    read: scopes.filter((s) => s.endsWith('.read')),
    all: scopes,
  };
  const picker = byId('token-scope-picker');
  const summary = byId('token-preset-summary');
  const presetRadios = [...form.querySelectorAll('input[name="preset"]')];
  scopeBox.replaceChildren(...scopeFieldsets(scopes, { idPrefix: 'token-scope' }));
  const boxes = () => [...scopeBox.querySelectorAll('input[type="checkbox"]')];
  const chosenScopes = () => boxes().filter((b) => b.checked).map((b) => b.value);
  for (const radio of presetRadios) {
    radio.disabled = radio.value in presets && presets[radio.value].length === 0;
  }

  function applyPreset() {
    const preset = presetRadios.find((r) => r.checked && !r.disabled) || byId('token-preset-custom');
    preset.checked = true;
    if (preset.value in presets) {
      const picked = new Set(presets[preset.value]);
      for (const box of boxes()) {
        box.checked = picked.has(box.value);
      }
    }
    picker.hidden = preset.value !== 'custom';
    summary.textContent = TEXT.presetSummary[preset.value](chosenScopes().length);
  }
  for (const radio of presetRadios) {
    radio.addEventListener('change', applyPreset);
  }
  scopeBox.addEventListener('change', () => {
    summary.textContent = TEXT.presetSummary.custom(chosenScopes().length);
  });
  applyPreset();

  byId('token-scopes-none').addEventListener('click', () => {
    for (const box of boxes()) {
      box.checked = false;
    }
    summary.textContent = TEXT.presetSummary.custom(0);
  });

  expiry.addEventListener('change', () => {
    daysField.hidden = expiry.value !== 'custom';
    days.required = expiry.value === 'custom';
    if (!daysField.hidden) {
      days.focus();
    }
  });

  function expiresInSeconds() {
    if (expiry.value === 'never') {
      return null;
    }
    return expiry.value === 'custom' ? Number(days.value) * DAY : Number(expiry.value);
  }

  function refuse(field, message) {
    showError(formError, message);
    field.setAttribute('aria-invalid', 'true');
    field.focus();
  }

  /** Shows a secret that will never be shown again, selected and focused so it can be copied at once. */
  function showSecret(title, value) {
    byId('token-created-title').textContent = title;
    secret.value = value;
    copyStatus.textContent = '';
    created.hidden = false;
    secret.focus();
    secret.select();
  }

  byId('token-copy').addEventListener('click', () => copyField(secret, copyStatus));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearError(formError);
    showStatus(listStatus, '');
    const invalid = firstInvalidField(form);
    if (invalid) {
      refuse(invalid.field, invalid.message);
      return;
    }
    if (!name.value.trim()) {
      refuse(name, TEXT.nameNeeded);
      return;
    }
    const chosen = chosenScopes();
    if (chosen.length === 0) {
      showError(formError, TEXT.noScopes);
      (picker.hidden ? presetRadios.find((r) => r.checked) : boxes()[0] || name).focus();
      return;
    }
    const nets = networks.value.split(/[\s,]+/).filter(Boolean);
    await whileBusy(byId('token-submit'), TEXT.creating, async () => {
      try {
        const { token: value, ...token } = await api('POST', '/api/client-tokens', {
          name: name.value.trim(),
          scopes: chosen,
          expires_in_seconds: expiresInSeconds(),
          networks: nets.length > 0 ? nets : null,
        });
        form.reset();
        daysField.hidden = true;
        days.required = false;
        applyPreset();
        // Added in place rather than reloading the list, which would drop a secret or code shown in another item.
        list.prepend(tokenItem({
          ...token, created_at: new Date().toISOString(), last_used_at: null, device: null, expired: false,
        }));
        empty.hidden = true;
        showSecret(TEXT.copyNewToken(token.name), value);
        changed();
      } catch (e) {
        if (e.code === 'invalid_request' && /network|CIDR/i.test(e.message)) {
          refuse(networks, e.message);
        } else {
          fail(formError, e);
        }
      }
    });
  });

  function tokenItem(token) {
    const li = el('li', { class: 'item', data: { tokenId: token.id, tokenName: token.name } });
    const error = el('div', { class: 'alert', role: 'alert', 'aria-live': 'assertive', 'aria-atomic': 'true' });
    let expiryBadge;
    if (token.expired) {
      expiryBadge = badge(TEXT.expired, 'bad');
    } else if (token.expires_at) {
      const soon = new Date(token.expires_at).getTime() - Date.now() < 7 * DAY * 1000;
      expiryBadge = el('span', { class: `badge ${soon ? 'warn' : 'plain'}` }, TEXT.expires, timeEl(token.expires_at));
    } else {
      expiryBadge = badge(TEXT.neverExpires, 'plain');
    }
    const head = el('div', { class: 'item-head' },
      el('strong', { text: token.name }),
      expiryBadge,
      token.device ? el('span', { class: 'badge', text: TEXT.device(token.device) }) : null);
    const meta = el('p', { class: 'item-meta' },
      TEXT.created, timeEl(token.created_at), TEXT.lastUsed, token.last_used_at ? timeEl(token.last_used_at) : TEXT.neverUsed,
      token.networks && token.networks.length > 0 ? TEXT.onlyFrom(token.networks) : '');
    const scopeList = el('ul', { class: 'scope-list', 'aria-label': TEXT.scopesOf(token.name) },
      ...token.scopes.map((s) => el('li', {}, el('code', { text: s, title: scopeWords(s) }))));
    const actions = el('div', { class: 'item-actions' });
    const extra = el('div', { class: 'item-extra', hidden: true });

    // An expired token can only be revoked: a new secret or a pairing code for it would not work.
    if (!token.expired) {
      const pair = el('button', {
        type: 'button', class: 'secondary small', data: { action: 'pair' }, 'aria-label': TEXT.pairLabel(token.name),
        text: TEXT.pair,
      });
      pair.addEventListener('click', () => whileBusy(pair, TEXT.makingCode, () => showPairCode(token, extra, error, pair)));

      const regenerate = el('button', {
        type: 'button', class: 'secondary small', data: { action: 'regenerate' }, 'aria-label': TEXT.regenerateLabel(token.name),
        text: TEXT.regenerate,
      });
      confirmTwice(regenerate, TEXT.reallyRegenerate, () => whileBusy(regenerate, TEXT.regenerating, async () => {
        clearError(error);
        showStatus(listStatus, '');
        try {
          const fresh = await api('POST', `/api/client-tokens/${encodeURIComponent(token.id)}/regenerate`);
          showSecretInItem(extra, TEXT.newSecret(fresh.name), fresh.token);
          changed();
        } catch (e) {
          fail(error, e);
        }
      }));
      actions.append(pair, regenerate);
    }

    const revoke = el('button', {
      type: 'button', class: 'danger small', data: { action: 'revoke' }, 'aria-label': TEXT.revokeLabel(token.name), text: TEXT.revoke,
    });
    confirmTwice(revoke, TEXT.reallyRevoke, () => whileBusy(revoke, TEXT.revoking, async () => {
      clearError(error);
      showStatus(listStatus, '');
      try {
        await api('DELETE', `/api/client-tokens/${encodeURIComponent(token.id)}`);
        li.remove();
        empty.hidden = list.children.length > 0;
        showStatus(listStatus, TEXT.revoked(token.name));
        name.focus(); // the row and its buttons are gone
        changed();
      } catch (e) {
        fail(error, e);
      }
    }));
    actions.append(revoke);

    li.append(head, meta, scopeList, actions, error, extra);
    return li;
  }

  /** A regenerated secret, shown once inside the token's own item. */
  function showSecretInItem(extra, title, value) {
    const input = el('input', {
      id: `secret-${extra.parentElement.dataset.tokenId}`, class: 'link', type: 'text', readonly: true, spellcheck: 'false',
      autocomplete: 'off', data: { role: 'secret' },
    });
    input.value = value;
    const status = el('p', { class: 'hint', role: 'status', 'aria-live': 'polite' });
    const copy = el('button', { type: 'button', class: 'secondary', text: TEXT.copy });
    copy.addEventListener('click', () => copyField(input, status));
    extra.replaceChildren(el('div', { class: 'reveal-once' },
      el('p', {}, el('strong', { text: title }), TEXT.seenOnce),
      el('div', { class: 'inline' },
        el('div', { class: 'field' }, el('label', { for: input.id, text: TEXT.secretLabel }), input),
        copy),
      status));
    extra.hidden = false;
    input.focus();
    input.select();
  }

  /** Asks for a pairing code and shows it large, with a live countdown, until it expires. */
  async function showPairCode(token, extra, error, button) {
    clearError(error);
    showStatus(listStatus, '');
    let pairing;
    try {
      pairing = await api('POST', `/api/client-tokens/${encodeURIComponent(token.id)}/pair`);
    } catch (e) {
      fail(error, e);
      return;
    }
    const deadline = Date.now() + pairing.expires_in * 1000;
    // Focusable, so a screen reader reads the code out as soon as it appears.
    const code = el('p', { class: 'pair-code', tabindex: '-1', data: { role: 'pair-code' }, text: pairing.code });
    // A timer is not announced every second; the expiry is, through the status line below it.
    const left = el('p', { class: 'countdown', role: 'timer', 'aria-live': 'off' });
    const expiredNote = el('p', { class: 'hint', role: 'status', 'aria-live': 'polite' });
    const again = el('button', { type: 'button', class: 'secondary small', text: TEXT.newCode, hidden: true });
    const close = el('button', { type: 'button', class: 'ghost', text: TEXT.close });
    const box = el('div', { class: 'pair-box', data: { role: 'pairing' } },
      el('p', { class: 'hint', text: TEXT.enterCode(token.name) }),
      code, left, expiredNote,
      el('p', { class: 'hint', text: TEXT.freshSecret }),
      el('div', { class: 'item-actions' }, again, close));
    extra.replaceChildren(box);
    extra.hidden = false;

    const tick = () => {
      const seconds = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      if (!box.isConnected) {
        clearInterval(timer);
        return;
      }
      if (seconds > 0) {
        left.textContent = TEXT.expiresIn(clock(seconds));
        return;
      }
      clearInterval(timer);
      code.classList.add('expired');
      left.textContent = TEXT.expired;
      expiredNote.textContent = TEXT.codeExpired;
      again.hidden = false;
    };
    const timer = setInterval(tick, 250);
    tick();
    again.addEventListener('click', () => whileBusy(again, TEXT.makingCode, () => showPairCode(token, extra, error, button)));
    close.addEventListener('click', () => {
      clearInterval(timer);
      extra.hidden = true;
      extra.replaceChildren();
      button.focus();
    });
    code.focus();
  }

  async function load() {
    clearError(listError);
    try {
      const data = await getJson('/api/client-tokens');
      list.replaceChildren(...data.tokens.map(tokenItem));
      empty.hidden = data.tokens.length > 0;
    } catch (e) {
      fail(listError, e);
    }
  }

  return { load };
}
