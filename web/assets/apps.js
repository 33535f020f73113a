// The admin page's Apps tab: the launcher everyone sees on the home page. List, add, edit, reorder and remove apps;
// each app's icon is a built-in symbol or an image uploaded to Latch, and who sees it is a scope from the catalogue.
import { api, ApiError, fail, getJson, messageFor } from './api.js';
import { SYMBOLS, symbolIcon } from './app-symbols.js';
import { SCOPE_WORDS } from './scope-words.js';
import { TEXT } from './text-apps.js';
import { askToConfirm, byId, clearError, el, firstInvalidField, refuse, showStatus, whileBusy } from './ui.js';

const ICON_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
const MAX_ICON_BYTES = 64 * 1024;

const list = byId('apps-list');
const listError = byId('apps-error');
const listStatus = byId('apps-status');
const form = byId('app-form');
const formError = byId('app-form-error');
const formStatus = byId('app-form-status');
const nameInput = byId('app-name');
const urlInput = byId('app-url');
const scopeSelect = byId('app-scope');
const uploadChoice = byId('app-icon-upload');
const fileInput = byId('app-icon-file');
const submit = byId('app-submit');
const cancel = byId('app-cancel');

let apps = [];
let editing = null; // the app the form is changing, or null while it adds one
let scopesLoaded = false;
let generation = 0;

// The symbol choices, drawn once: a radio each, labelled with its picture and its word.
byId('app-symbols').append(...Object.keys(SYMBOLS).map((name) => el('div', { class: 'symbol-choice' },
  el('input', { id: `app-icon-${name}`, type: 'radio', name: 'icon', value: name, checked: name === 'link' }),
  el('label', { for: `app-icon-${name}` }, symbolIcon(name), el('span', { text: TEXT.symbols[name] })))));

function chosenIcon() {
  const checked = form.querySelector('input[name="icon"]:checked');
  return checked ? checked.value : 'link';
}

function chooseIcon(value) {
  const radio = form.querySelector(`input[name="icon"][value="${CSS.escape(value)}"]`);
  if (radio) {
    radio.checked = true;
  }
}

// Choosing a file picks "an image of your own"; the file input is only ever read when that choice is on.
fileInput.addEventListener('change', () => {
  if (fileInput.files.length > 0) {
    uploadChoice.checked = true;
  }
  fileInput.removeAttribute('aria-invalid');
});

function appIconEl(app) {
  if (typeof app.icon_url === 'string' && app.icon_url.startsWith('/api/apps/')) {
    return el('span', { class: 'app-icon image small' }, el('img', { src: app.icon_url, alt: '', width: '32', height: '32' }));
  }
  return el('span', { class: 'app-icon small' }, symbolIcon(app.icon));
}

function appItem(app, index) {
  const name = String(app.name);
  const up = el('button', {
    type: 'button', class: 'secondary small', data: { action: 'up' }, 'aria-label': TEXT.moveUp(name), text: TEXT.up,
    disabled: index === 0,
  });
  const down = el('button', {
    type: 'button', class: 'secondary small', data: { action: 'down' }, 'aria-label': TEXT.moveDown(name),
    text: TEXT.down, disabled: index === apps.length - 1,
  });
  const edit = el('button', {
    type: 'button', class: 'secondary small', data: { action: 'edit' }, 'aria-label': TEXT.editApp(name), text: TEXT.edit,
  });
  const remove = el('button', {
    type: 'button', class: 'danger small', data: { action: 'delete' }, 'aria-label': TEXT.removeApp(name),
    text: TEXT.remove,
  });
  up.addEventListener('click', () => move(app, app.position - 1, up, 'up'));
  down.addEventListener('click', () => move(app, app.position + 1, down, 'down'));
  edit.addEventListener('click', () => startEditing(app));
  remove.addEventListener('click', () => removeApp(app, remove));
  const scope = typeof app.required_scope === 'string' ? app.required_scope : null;
  const known = !scope || scopeSelect.querySelector(`option[value="${CSS.escape(scope)}"]`) || !scopesLoaded;
  return el('li', { class: 'item', data: { appId: String(app.id), name } },
    el('div', { class: 'app-row' },
      appIconEl(app),
      el('div', { class: 'app-about' },
        el('strong', { text: name }),
        el('span', { class: 'item-meta' }, el('code', { text: String(app.url) })),
        el('span', { class: 'item-meta' }, scope ? TEXT.onlyScope : TEXT.everyone,
          scope ? el('code', { text: scope }) : null, known ? null : ` (${TEXT.unknownScope})`))),
    el('div', { class: 'item-actions' }, up, down, edit, remove));
}

/** Fills the scope choice with every scope the catalogue has (an admin holds them all), in words and by code. */
async function loadScopes() {
  if (scopesLoaded) {
    return;
  }
  const me = await getJson('/api/auth/me');
  const scopes = Array.isArray(me.user.scopes) ? me.user.scopes.filter((s) => typeof s === 'string') : [];
  scopeSelect.append(...scopes.map((s) => el('option', { value: s, text: TEXT.scopeOption(s, SCOPE_WORDS[s]) })));
  scopesLoaded = true;
}

/** Lists the apps; after an action the caller keeps what it showed (`keepMessages`), say the server's refusal. */
export async function loadApps({ keepMessages = false } = {}) {
  const mine = ++generation;
  if (!keepMessages) {
    clearError(listError);
  }
  let data;
  try {
    await loadScopes();
    data = await getJson('/api/admin/apps');
  } catch (e) {
    fail(listError, e);
    return;
  }
  if (mine !== generation) {
    return; // a newer load answered first
  }
  apps = data.apps;
  list.replaceChildren(...apps.map(appItem));
  byId('apps-empty').hidden = apps.length > 0;
}

function itemOf(id) {
  return [...list.children].find((li) => li.dataset.appId === String(id));
}

async function move(app, place, button, action) {
  clearError(listError);
  showStatus(listStatus, '');
  const done = await whileBusy(button, TEXT.moving, async () => {
    try {
      const moved = await api('PATCH', `/api/admin/apps/${encodeURIComponent(app.id)}`, { position: place });
      return TEXT.moved(moved.name, moved.position);
    } catch (e) {
      fail(listError, e);
      return '';
    }
  });
  await loadApps({ keepMessages: true });
  showStatus(listStatus, done); // once the list shows it
  // Keep the keyboard on the moved app: the same button, or the other one when it reached an end.
  const li = itemOf(app.id);
  if (li) {
    const same = li.querySelector(`[data-action="${action}"]`);
    const other = li.querySelector(`[data-action="${action === 'up' ? 'down' : 'up'}"]`);
    (same && !same.disabled ? same : other).focus();
  }
}

async function removeApp(app, button) {
  const name = String(app.name);
  if (!(await askToConfirm(byId('confirm'), {
    question: TEXT.removeQuestion(name), consequence: TEXT.removeConsequence, confirm: TEXT.remove,
  }))) {
    return;
  }
  clearError(listError);
  showStatus(listStatus, '');
  const done = await whileBusy(button, TEXT.removing, async () => {
    try {
      await api('DELETE', `/api/admin/apps/${encodeURIComponent(app.id)}`);
      return TEXT.removed(name);
    } catch (e) {
      fail(listError, e);
      return '';
    }
  });
  if (done && editing && editing.id === app.id) {
    stopEditing();
  }
  await loadApps({ keepMessages: true });
  showStatus(listStatus, done); // once the list shows it
  nameInput.focus(); // the item's button is gone with the reload
}

function startEditing(app) {
  editing = app;
  clearError(formError);
  showStatus(formStatus, '');
  byId('app-form-title').textContent = TEXT.editTitle(app.name);
  submit.textContent = TEXT.saveButton;
  cancel.hidden = false;
  nameInput.value = app.name;
  urlInput.value = app.url;
  const scope = app.required_scope || '';
  if (scope && !scopeSelect.querySelector(`option[value="${CSS.escape(scope)}"]`)) {
    // Kept as it is rather than shown as "everyone": saving it unchanged is refused, never silently widened.
    scopeSelect.append(el('option', { value: scope, text: `${scope} (${TEXT.unknownScope})`, data: { unknown: 'true' } }));
  }
  scopeSelect.value = scope;
  fileInput.value = '';
  if (typeof app.icon === 'string') {
    chooseIcon(app.icon);
  } else {
    uploadChoice.checked = true;
  }
  setFileHint(typeof app.icon !== 'string');
  nameInput.focus();
}

function stopEditing() {
  editing = null;
  scopeSelect.querySelectorAll('option[data-unknown]').forEach((option) => option.remove());
  form.reset();
  chooseIcon('link');
  byId('app-form-title').textContent = TEXT.addTitle;
  submit.textContent = TEXT.addButton;
  cancel.hidden = true;
  setFileHint(false);
}

const fileHint = byId('app-icon-file-hint');
const fileHintText = fileHint.textContent;

function setFileHint(hasImage) {
  fileHint.textContent = hasImage ? `${fileHintText} ${TEXT.keepImage}` : fileHintText;
}

cancel.addEventListener('click', () => {
  const id = editing && editing.id;
  stopEditing();
  clearError(formError);
  const li = id !== null ? itemOf(id) : null;
  (li ? li.querySelector('[data-action="edit"]') : nameInput).focus();
});

/** The chosen file, checked as the server will check it (so a refusal comes before anything is saved); null if none. */
function chosenFile() {
  const file = fileInput.files.length > 0 ? fileInput.files[0] : null;
  if (!file) {
    return null;
  }
  if (file.size > MAX_ICON_BYTES) {
    throw new ApiError(413, 'icon_too_large', TEXT.fileTooLarge(Math.ceil(file.size / 1024)));
  }
  if (!ICON_TYPES.has(file.type)) {
    throw new ApiError(415, 'unsupported_icon_type', TEXT.fileWrongType);
  }
  return file;
}

const FIELD_FOR_ERROR = {
  invalid_name: nameInput,
  invalid_url: urlInput,
  unknown_scope: scopeSelect,
  icon_too_large: fileInput,
  unsupported_icon_type: fileInput,
};

function refuseOnField(e) {
  const field = e instanceof ApiError ? FIELD_FOR_ERROR[e.code] : undefined;
  if (field) {
    refuse(formError, field, e.message);
  } else {
    fail(formError, e);
  }
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearError(formError);
  showStatus(formStatus, '');
  const invalid = firstInvalidField(form);
  if (invalid) {
    refuse(formError, invalid.field, invalid.message);
    return;
  }
  const icon = chosenIcon();
  let file;
  try {
    file = icon === 'upload' ? chosenFile() : null;
  } catch (e) {
    refuseOnField(e);
    return;
  }
  const hasImage = editing !== null && typeof editing.icon !== 'string';
  if (icon === 'upload' && !file && !hasImage) {
    refuse(formError, fileInput, TEXT.pickFile);
    return;
  }
  const body = { name: nameInput.value.trim(), url: urlInput.value.trim(), required_scope: scopeSelect.value };
  if (icon !== 'upload') {
    body.icon = icon;
  }
  const wasEditing = editing;
  const outcome = await whileBusy(submit, wasEditing ? TEXT.saving : TEXT.adding, () => save(wasEditing, body, file));
  if (!outcome) {
    return;
  }
  await loadApps();
  // After the busy label is gone, so the button gets the label of the form's next state.
  stopEditing();
  if (outcome.imageRefusal) {
    startEditing(outcome.saved); // the app is there; the form stays on it to try another image
    refuse(formError, fileInput, TEXT.imageRefused(outcome.saved.name, messageFor(outcome.imageRefusal)));
  } else {
    showStatus(formStatus, wasEditing ? TEXT.saved(outcome.saved.name) : TEXT.added(outcome.saved.name));
    nameInput.focus();
  }
});

/** Adds or changes the app, then sends its image if one was chosen; null when the app itself was refused. */
async function save(app, body, file) {
  let saved;
  try {
    saved = app
      ? await api('PATCH', `/api/admin/apps/${encodeURIComponent(app.id)}`, body)
      : await api('POST', '/api/admin/apps', body);
  } catch (e) {
    refuseOnField(e);
    return null;
  }
  if (!file) {
    return { saved, imageRefusal: null };
  }
  try {
    return { saved: await api('PUT', `/api/admin/apps/${encodeURIComponent(saved.id)}/icon`, file), imageRefusal: null };
  } catch (e) {
    return { saved, imageRefusal: e };
  }
}
